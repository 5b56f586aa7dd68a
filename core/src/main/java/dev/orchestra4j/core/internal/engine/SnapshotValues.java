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
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Run values in snapshots: plain JSON, except the two engine types a value can be — a barrier's {@code List<Arrival>}
 * and an {@link ErrorContext} — which carry an explicit tag, and user objects (records, enums, POJOs), which carry
 * their class name ({@link TypedValueCodec}) so that they come back with their Java type in another JVM. Maps and
 * lists are walked, so a record inside a context map keeps its type too; strings, numbers and booleans are plain. A
 * user map shaped like one of those tags is wrapped as {@code {"@map": {...}}}, so it comes back as the map it was.
 */
final class SnapshotValues {

    /** Strict where {@link Json#MAPPER} is lenient: an object with nothing to write, or code, is an error, not {}. */
    static final ObjectMapper MAPPER = Json.MAPPER
            .copy()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .registerModule(CodeValues.module());

    private static final String ARRIVALS = "@arrivals";
    private static final String ERROR = "@error";
    private static final String SET = "@set";
    /** Wraps a user map that {@link #decode} would otherwise read as one of the tagged types: see {@link #tagShaped}. */
    private static final String MAP = "@map";

    private SnapshotValues() {}

    /**
     * How deep a stored run value may nest (lists, maps and objects inside one another). Jackson writes and reads
     * documents at most 1,000 levels deep and a value sits a few levels inside a snapshot, journal entry or step
     * record; a deeper value fails when the step that produced it commits, named as an unwritable value, not as a
     * storage failure (and without a stack overflow for one nested many thousand levels deep).
     */
    static final int MAX_DEPTH = 900;

    static JsonNode encode(@Nullable Object value) {
        return encode(value, 1);
    }

    /** {@code value} as JSON whose outermost container (if any) is at nesting level {@code level}. */
    private static JsonNode encode(@Nullable Object value, int level) {
        if (value == null) {
            return MAPPER.nullNode();
        }
        JsonNode scalar = scalar(value);
        if (scalar != null) {
            return scalar;
        }
        if (level > MAX_DEPTH) {
            throw tooDeep();
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Arrival) {
            ObjectNode tagged = MAPPER.createObjectNode();
            var array = tagged.putArray(ARRIVALS);
            list.forEach(a -> array.add(encodeArrival((Arrival) a, level + 2)));
            return tagged;
        }
        if (value instanceof ErrorContext e) {
            ObjectNode tagged = MAPPER.createObjectNode();
            ObjectNode n = tagged.putObject(ERROR);
            n.put("category", e.category().name()).put("message", e.message()).put("failedAgent", e.failedAgent());
            n.put("branchId", e.branchId()).put("attempt", e.attempt());
            n.set("input", encode(e.input(), level + 2));
            return tagged;
        }
        if (value instanceof Map<?, ?> map && TypedValueCodec.hasStringKeys(map)) {
            if (tagShaped(map)) { // the user's keys, not ours: {"@map": {...}} keeps it a map
                if (level + 1 > MAX_DEPTH) {
                    throw tooDeep();
                }
                ObjectNode wrapper = MAPPER.createObjectNode();
                ObjectNode object = wrapper.putObject(MAP);
                map.forEach((k, v) -> object.set((String) k, encode(v, level + 2)));
                return wrapper;
            }
            ObjectNode object = MAPPER.createObjectNode();
            map.forEach((k, v) -> object.set((String) k, encode(v, level + 1)));
            return object;
        }
        if (value instanceof List<?> items) {
            var array = MAPPER.createArrayNode();
            items.forEach(item -> array.add(encode(item, level + 1)));
            return array;
        }
        if (value instanceof Set<?> set) { // a plain array would come back a List
            ObjectNode tagged = MAPPER.createObjectNode();
            var array = tagged.putArray(SET);
            set.forEach(item -> array.add(encode(item, level + 2)));
            return tagged;
        }
        if (JdkValues.holds(value)) {
            ObjectNode typed = MAPPER.createObjectNode();
            typed.put(TypedValueCodec.TYPE, JdkValues.typeName(value));
            typed.put(TypedValueCodec.VALUE, JdkValues.write(value));
            return typed;
        }
        refuseLossy(value);
        JsonNode typed = TypedValueCodec.encode(MAPPER, value);
        if (level - 1 + levels(typed) > MAX_DEPTH) {
            throw tooDeep();
        }
        return typed;
    }

    /**
     * Refuses what JSON would bring back as something else after a restart: a lambda or method reference (Jackson
     * writes it as {@code {}}, the {@code @FunctionalInterface} of its interface counting as an annotation of its
     * class), a map whose keys are not strings, an array of objects, another collection, or a JDK class that is not one
     * of {@link JdkValues}.
     */
    private static void refuseLossy(Object value) {
        Class<?> type = value.getClass();
        String code = CodeValues.describe(type);
        if (code != null) {
            throw new IllegalArgumentException(CodeValues.why(code));
        }
        if (value instanceof Map<?, ?> map) {
            Object key = map.keySet().stream()
                    .filter(k -> !(k instanceof String))
                    .findFirst()
                    .orElse(null);
            throw new IllegalArgumentException("a map with a "
                    + (key == null ? "null" : key.getClass().getName() + " (" + key + ")")
                    + " key: a stored map needs string keys");
        }
        if (type.isArray() || value instanceof java.util.Collection<?>) {
            throw new IllegalArgumentException(
                    "a " + type.getTypeName() + " would come back as a List after a restart: store a List");
        }
        if (TypedValueCodec.isJdk(type.getName())) {
            throw new IllegalArgumentException("a " + type.getName() + " would come back as another type after a"
                    + " restart: store a string, a number, a record, or a date, time, UUID or exact number");
        }
    }

    /** How many containers deep {@code node} nests (0 for a scalar); Jackson made it, so at most 1,000. */
    private static int levels(JsonNode node) {
        if (!node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                deepest = Math.max(deepest, levels(child));
            }
        }
        return deepest + 1;
    }

    private static IllegalArgumentException tooDeep() {
        return new IllegalArgumentException("it nests deeper than " + MAX_DEPTH
                + " levels (lists, maps and objects inside one another), more than a session can store");
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
            case Long l -> l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? LongNode.valueOf(l) : null; // else typed
            case Double d -> Double.isFinite(d) ? DoubleNode.valueOf(d) : null; // NaN and infinities: typed
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
                        + cause.getMessage()
                        + "); with a StateManager keep only values that survive a restart (strings,"
                        + " numbers, booleans, lists, sets, maps with string keys, records, enums, dates and times,"
                        + " UUIDs) there",
                cause);
    }

    /**
     * Whether a user map has the shape of a tagged value — its only key {@code @arrivals}, {@code @error}, {@code @set}
     * or {@code @map}, or its two keys {@code @type} and {@code @value} — which {@link #decode} would read back as a
     * barrier's arrivals, an error, a set or a typed object (a context map from a request could otherwise name a class
     * to bind after a restart, or make the session unreadable).
     */
    private static boolean tagShaped(Map<?, ?> map) {
        if (map.size() == 1) {
            Object key = map.keySet().iterator().next();
            return ARRIVALS.equals(key) || ERROR.equals(key) || SET.equals(key) || MAP.equals(key);
        }
        return map.size() == 2 && map.containsKey(TypedValueCodec.TYPE) && map.containsKey(TypedValueCodec.VALUE);
    }

    static @Nullable Object decode(JsonNode node) {
        if (node.isObject() && node.size() == 1 && node.path(MAP).isObject()) {
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            node.get(MAP).properties().forEach(e -> map.put(e.getKey(), decode(e.getValue())));
            return map;
        }
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
        if (node.isObject() && node.size() == 1 && node.path(SET).isArray()) {
            Set<@Nullable Object> set = new java.util.LinkedHashSet<>();
            node.get(SET).forEach(item -> set.add(decode(item)));
            return set;
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

    /** Each of {@code values} {@link #encode}d, in order. */
    static Map<String, JsonNode> encodeAll(Map<String, ?> values) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, encode(v)));
        return out;
    }

    /** Each of {@code values} {@link #decode}d, in order. */
    static Map<String, @Nullable Object> decodeAll(Map<String, JsonNode> values) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, decode(v)));
        return out;
    }

    private static ObjectNode encodeArrival(Arrival a, int level) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("agent", a.agent()).put("branchId", a.branchId());
        n.set("value", encode(a.value(), level + 1));
        return n;
    }

    private static Arrival arrival(JsonNode n) {
        return new Arrival(
                n.get("agent").asText(),
                n.get("branchId").asText(),
                java.util.Objects.requireNonNull(decode(n.get("value")), "value"));
    }
}
