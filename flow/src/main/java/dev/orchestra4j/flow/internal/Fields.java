package dev.orchestra4j.flow.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reading fields of parsed JSON/YAML definitions: a field of the wrong type is a problem naming it (collected, reported
 * all at once), never ignored, coerced or defaulted.
 */
final class Fields {

    private Fields() {}

    /** An optional string field: empty when absent or null; any other type is a problem, never ignored. */
    static Optional<String> optText(Map<?, ?> m, String key, String at, List<String> problems) {
        Object v = m.get(key);
        if (v == null || v instanceof String) {
            return Optional.ofNullable((String) v);
        }
        problems.add(at + "." + key + " must be a string, was " + v);
        return Optional.empty();
    }

    /** An optional whole number field (at most {@code Integer.MAX_VALUE}); {@code fallback} when absent. */
    static int optInt(Map<?, ?> m, String key, int fallback, String at, List<String> problems) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if ((v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger)
                && ((Number) v).longValue() == ((Number) v).doubleValue()
                && ((Number) v).longValue() <= Integer.MAX_VALUE
                && ((Number) v).longValue() >= Integer.MIN_VALUE) {
            return ((Number) v).intValue();
        }
        problems.add(at + "." + key + " must be a whole number, was " + v);
        return fallback;
    }

    static List<?> optList(Map<?, ?> m, String key, String at, List<String> problems) {
        Object v = m.get(key);
        if (v == null || v instanceof List<?>) {
            return v == null ? List.of() : (List<?>) v;
        }
        problems.add(at + "." + key + " must be a list, was " + v);
        return List.of();
    }

    static Map<?, ?> optMap(Map<?, ?> m, String key, String at, List<String> problems) {
        Object v = m.get(key);
        if (v == null || v instanceof Map<?, ?>) {
            return v == null ? Map.of() : (Map<?, ?>) v;
        }
        problems.add(at + "." + key + " must be an object, was " + v);
        return Map.of();
    }

    /** An optional boolean field: false when absent or null. */
    static boolean optBool(Map<?, ?> m, String key, String at, List<String> problems) {
        Object v = m.get(key);
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        problems.add(at + "." + key + " must be true or false, was " + v);
        return false;
    }

    /** A required object at {@code at}; null (a problem) when it is something else. */
    static @Nullable Map<?, ?> object(Object v, String at, List<String> problems) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        problems.add(at + (v == null ? " is required" : " must be an object, was " + v));
        return null;
    }
}
