package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Run values in snapshots: plain JSON, except the two engine types a value can be — a barrier's {@code List<Arrival>}
 * and an {@link ErrorContext} — which carry an explicit tag, and user objects (records, enums, POJOs), which carry
 * their class name ({@link TypedValueCodec}) so that they come back with their Java type in another JVM. Maps and
 * lists are walked, so a record inside a context map keeps its type too; strings, numbers and booleans are plain.
 */
final class SnapshotValues {

    /** Strict where {@link Json#MAPPER} is lenient: an object with nothing to write is an error, not {@code {}}. */
    static final ObjectMapper MAPPER =
            Json.MAPPER.copy().enable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private static final String ARRIVALS = "@arrivals";
    private static final String ERROR = "@error";

    private SnapshotValues() {}

    static JsonNode encode(@Nullable Object value) {
        if (value == null) {
            return MAPPER.nullNode();
        }
        JsonNode scalar = scalar(value);
        if (scalar != null) {
            return scalar;
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Arrival) {
            ObjectNode tagged = MAPPER.createObjectNode();
            var array = tagged.putArray(ARRIVALS);
            list.forEach(a -> array.add(encodeArrival((Arrival) a)));
            return tagged;
        }
        if (value instanceof ErrorContext e) {
            ObjectNode tagged = MAPPER.createObjectNode();
            ObjectNode n = tagged.putObject(ERROR);
            n.put("category", e.category().name()).put("message", e.message()).put("failedAgent", e.failedAgent());
            n.put("branchId", e.branchId()).put("attempt", e.attempt());
            n.set("input", encode(e.input()));
            return tagged;
        }
        if (value instanceof Map<?, ?> map && TypedValueCodec.hasStringKeys(map)) {
            ObjectNode object = MAPPER.createObjectNode();
            map.forEach((k, v) -> object.set((String) k, encode(v)));
            return object;
        }
        if (value instanceof List<?> items) {
            var array = MAPPER.createArrayNode();
            items.forEach(item -> array.add(encode(item)));
            return array;
        }
        return TypedValueCodec.encode(MAPPER, value);
    }

    /**
     * The node Jackson would make of a string, boolean or common number, made directly: most run values are these, and
     * a conversion through Jackson's token buffer costs more than the value.
     */
    private static @Nullable JsonNode scalar(Object value) {
        return switch (value) {
            case String s -> TextNode.valueOf(s);
            case Boolean b -> BooleanNode.valueOf(b);
            case Integer i -> IntNode.valueOf(i);
            case Long l -> LongNode.valueOf(l);
            case Double d -> DoubleNode.valueOf(d);
            default -> null;
        };
    }

    /**
     * {@link #encode}, with a failure that names {@code what} (say "context value 'db'") and the value's type instead of
     * a raw Jackson exception.
     */
    static JsonNode encode(String sessionId, String what, @Nullable Object value) {
        try {
            return encode(value);
        } catch (IllegalArgumentException e) {
            throw unwritable(sessionId, what, value, e);
        }
    }

    static dev.orchestra4j.state.StateException unwritable(
            String sessionId, String what, @Nullable Object value, RuntimeException cause) {
        String type = value == null ? "" : " (" + value.getClass().getName() + ")";
        return new dev.orchestra4j.state.StateException(
                "session '" + sessionId + "' cannot be saved: " + what + type + " cannot be written as JSON ("
                        + cause.getMessage() + "); with a StateManager keep only JSON values (strings, numbers,"
                        + " booleans, lists, maps, records) there",
                cause);
    }

    static @Nullable Object decode(JsonNode node) {
        if (node.isObject() && node.size() == 1 && node.has(ARRIVALS)) {
            List<Arrival> arrivals = new ArrayList<>();
            node.get(ARRIVALS).forEach(a -> arrivals.add(arrival(a)));
            return List.copyOf(arrivals);
        }
        if (node.isObject() && node.size() == 1 && node.has(ERROR)) {
            JsonNode e = node.get(ERROR);
            return new ErrorContext(
                    ErrorCategory.valueOf(e.get("category").asText()),
                    e.get("message").asText(),
                    e.get("failedAgent").asText(),
                    e.get("branchId").asText(),
                    e.get("attempt").asInt(),
                    java.util.Objects.requireNonNull(decode(e.get("input"))));
        }
        if (TypedValueCodec.isTyped(node)) {
            return TypedValueCodec.decode(MAPPER, node);
        }
        if (node.isObject()) {
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), decode(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<@Nullable Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(decode(item)));
            return list;
        }
        try {
            return MAPPER.treeToValue(node, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable value " + node, e);
        }
    }

    static ObjectNode encodeArrival(Arrival a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("agent", a.agent()).put("branchId", a.branchId());
        n.set("value", encode(a.value()));
        return n;
    }

    private static Arrival arrival(JsonNode n) {
        return new Arrival(
                n.get("agent").asText(),
                n.get("branchId").asText(),
                java.util.Objects.requireNonNull(decode(n.get("value")), "value"));
    }
}
