package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.orchestra4j.core.internal.Json;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The shape of the {@code finish} tool's {@code answer}: free text by default, a Java type ({@code outputSchema(Class)},
 * parsed into an instance), or a raw JSON object schema (parsed into a {@code Map}).
 *
 * @param element the schema the model sees for {@code answer}
 * @param type the class answers are parsed into, {@code Map} for a raw schema, or {@code null} for free answers
 */
record AnswerSchema(JsonSchemaElement element, @Nullable Class<?> type) {

    private static final ObjectReader LENIENT =
            Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static final AnswerSchema FREE = new AnswerSchema(
            JsonStringSchema.builder().description("your final answer").build(), null);

    AnswerSchema {
        requireNonNull(element, "element");
    }

    static AnswerSchema of(Class<?> type) {
        return new AnswerSchema(JsonSchemaElementUtils.jsonSchemaElementFrom(type), type);
    }

    static AnswerSchema of(JsonSchemaElement schema) {
        return new AnswerSchema(schema, Map.class);
    }

    boolean isStructured() {
        return type != null;
    }

    /**
     * Converts the model's answer into the value the agent finishes with.
     *
     * @throws IllegalArgumentException naming what does not match the schema
     */
    Object parse(JsonNode answer) {
        if (answer.isMissingNode() || answer.isNull()) {
            throw new IllegalArgumentException("'answer' is missing");
        }
        if (type == null) {
            return answer.isTextual() ? answer.asText() : Json.MAPPER.convertValue(answer, Object.class);
        }
        JsonNode node = answer.isTextual() ? reparse(answer.asText()) : answer;
        try {
            return LENIENT.forType(type).readValue(node);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'answer' does not match the schema of " + type.getSimpleName() + ": " + firstLine(e), e);
        }
    }

    private static JsonNode reparse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("'answer' must be a JSON object following the schema, was text");
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
