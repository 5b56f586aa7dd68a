package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.internal.Json;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One coordination call as the model made it, native or from JSON content, before it is judged.
 *
 * @param name the tool name ({@code invoke_agent}, {@code finish}, {@code ask_user}, or whatever the model said)
 * @param arguments the parsed arguments, or empty when they were not valid JSON
 * @param rawArguments the arguments as the model sent them, for error messages
 */
record CoordinationCall(String name, Optional<JsonNode> arguments, String rawArguments) {

    CoordinationCall {
        requireNonNull(name, "name");
        requireNonNull(arguments, "arguments");
        requireNonNull(rawArguments, "rawArguments");
    }

    static CoordinationCall of(String name, @Nullable String rawArguments) {
        String raw = rawArguments == null ? "" : rawArguments;
        return new CoordinationCall(name, parse(raw), raw);
    }

    static CoordinationCall of(String name, JsonNode arguments) {
        return new CoordinationCall(name, Optional.of(arguments), arguments.toString());
    }

    private static Optional<JsonNode> parse(String raw) {
        if (raw.isBlank()) {
            return Optional.of(Json.MAPPER.createObjectNode());
        }
        try {
            JsonNode node = Json.MAPPER.readTree(raw);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
