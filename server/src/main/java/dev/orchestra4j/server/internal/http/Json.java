package dev.orchestra4j.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The server's one JSON mapper and the helpers that read request bodies and write responses. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private static final String SENT = "orchestra4j.json.sent";

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static JsonNode tree(@Nullable Object value) {
        return MAPPER.valueToTree(value);
    }

    /** An ISO-8601 UTC timestamp with {@code Z}, or JSON null. */
    public static JsonNode time(@Nullable Instant instant) {
        return instant == null ? MAPPER.nullNode() : MAPPER.getNodeFactory().textNode(instant.toString());
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    /**
     * The string {@code field} of a request body, empty when it is absent or null; any other value is a 422 naming the
     * field (never ignored or coerced).
     */
    public static java.util.Optional<String> optionalText(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return java.util.Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.validation("body." + field, "string_type", "Input should be a valid string");
        }
        return java.util.Optional.of(value.asText());
    }

    /** Reads the request body as a JSON object, or fails with 422 naming the body. */
    public static ObjectNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw ApiException.validation("body", "missing", "Field required");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.validation("body", "json_invalid", "JSON decode error");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.validation("body", "model_attributes_type", "Input should be a valid dictionary");
        }
        return object;
    }

    /** Writes {@code body} as JSON with the given status. */
    public static void send(Context ctx, int status, Object body) {
        ctx.attribute(SENT, Boolean.TRUE);
        ctx.status(status).contentType("application/json").result(write(body));
    }

    /** Whether a route already wrote a JSON body (the 404 fallback then keeps it). */
    public static boolean sent(Context ctx) {
        return ctx.attribute(SENT) != null;
    }

    public static void send(Context ctx, Object body) {
        send(ctx, 200, body);
    }

    public static ObjectNode of(String key, Object value, Object... more) {
        ObjectNode node = object();
        node.set(key, tree(value));
        for (int i = 0; i + 1 < more.length; i += 2) {
            node.set((String) more[i], tree(more[i + 1]));
        }
        return node;
    }

    public static Map<String, Object> toMap(JsonNode node) {
        return MAPPER.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    }

    public static @Nullable Object toValue(JsonNode node) {
        return MAPPER.convertValue(node, Object.class);
    }
}
