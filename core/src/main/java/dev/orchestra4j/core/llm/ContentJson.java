package dev.orchestra4j.core.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.internal.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The fallback for models without tool calling: a coordination call written as JSON in the message content,
 * {@code {"next_action": "invoke_agent" | "finish" | "ask_user", "action_input": …}}, fenced ({@code ```json … ```})
 * or bare. The action input is normalised to the native tools' argument shape, so one judge serves both paths.
 */
final class ContentJson {

    private static final Pattern FENCE = Pattern.compile("```(?:json|JSON)?\\s*(\\{.*?})\\s*```", Pattern.DOTALL);

    private ContentJson() {}

    /** The coordination call in {@code content}, or empty when the content holds no {@code next_action} object. */
    static Optional<CoordinationCall> parse(@Nullable String content) {
        if (content == null || content.indexOf('{') < 0) {
            return Optional.empty();
        }
        Matcher fenced = FENCE.matcher(content);
        String json = fenced.find() ? fenced.group(1) : content.substring(content.indexOf('{'));
        return firstObject(json).filter(node -> node.hasNonNull("next_action")).map(node -> {
            String action = canonical(node.path("next_action").asText());
            return CoordinationCall.of(action, arguments(action, node.path("action_input")));
        });
    }

    private static Optional<JsonNode> firstObject(String json) {
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            JsonNode node = Json.MAPPER.readTree(parser);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String canonical(String action) {
        return switch (action) {
            case "final_response", "terminate_workflow", "final_answer" -> Offer.FINISH;
            default -> action;
        };
    }

    private static JsonNode arguments(String action, JsonNode input) {
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        switch (action) {
            case Offer.INVOKE_AGENT -> {
                if (input.isArray()) {
                    arguments.set("invocations", input);
                } else if (input.has("agent_name")) {
                    arguments.putArray("invocations").add(input);
                } else {
                    return input;
                }
            }
            case Offer.FINISH -> arguments.set("answer", answerOf(input));
            case Offer.ASK_USER -> {
                return input.isTextual() ? arguments.set("question", input) : input;
            }
            default -> {
                return input.isObject() ? input : arguments;
            }
        }
        return arguments;
    }

    private static JsonNode answerOf(JsonNode input) {
        if (input.has("answer")) {
            return input.get("answer");
        }
        return input.has("response") ? input.get("response") : input;
    }
}
