package dev.orchestra4j.flow.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step contracts, checked with Jackson: a value is converted to the declared type, missing record properties and
 * type mismatches are violations naming the property. Values already of the type pass as they are.
 */
public final class Contracts {

    private static final ObjectMapper STRICT = FlowJson.MAPPER
            .copy()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Contracts() {}

    /** A value that does not meet a contract. */
    public static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * {@code value} as {@code type}: as is when it already is one, else converted.
     *
     * @param where what is checked, for the message ({@code step 'double' output})
     */
    public static Object convert(Object value, Class<?> type, String where) throws Violation {
        if (type.isInstance(value) || type == Object.class) {
            return value;
        }
        List<String> missing = missing(value, type);
        if (!missing.isEmpty()) {
            throw new Violation(where + ": missing propert" + (missing.size() == 1 ? "y " : "ies ")
                    + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList()));
        }
        try {
            return STRICT.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new Violation(where + ": " + describe(e, type));
        }
    }

    /** Checks {@code value} against {@code contract} and gives it back as {@code handlerType} wants it. */
    public static Object check(Object value, Class<?> contract, Class<?> handlerType, String where) throws Violation {
        Object checked = convert(value, contract, where);
        if (handlerType == contract) {
            return checked;
        }
        return convert(handlerType == Map.class ? FlowJson.plain(value) : value, handlerType, where);
    }

    private static List<String> missing(Object value, Class<?> type) {
        if (!type.isRecord() || !(value instanceof Map<?, ?> map)) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (!map.containsKey(c.getName())
                    || map.get(c.getName()) == null && c.getType().isPrimitive()) {
                missing.add(c.getName());
            }
        }
        return missing;
    }

    private static String describe(IllegalArgumentException e, Class<?> type) {
        if (e.getCause() instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String path = String.join(
                    ".",
                    m.getPath().stream()
                            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                            .toList());
            return "property '" + path + "' " + firstLine(m.getOriginalMessage());
        }
        return "not a " + type.getSimpleName() + " (" + firstLine(e.getMessage()) + ")";
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Why values of {@code from} cannot feed {@code to}, or empty when they can (or only run time can tell). */
    public static Optional<String> mismatch(Class<?> from, Class<?> to) {
        if (to.isAssignableFrom(box(from)) || box(to).isAssignableFrom(box(from)) || to == Object.class) {
            return Optional.empty();
        }
        if (from == Object.class || Map.class.isAssignableFrom(from)) {
            return Optional.empty(); // only the run can tell
        }
        if (Map.class.isAssignableFrom(to)) {
            return from.isRecord() || !isScalar(from)
                    ? Optional.empty()
                    : Optional.of(from.getSimpleName() + " is not an object");
        }
        if (to.isRecord() && from.isRecord()) {
            List<String> problems = new ArrayList<>();
            for (RecordComponent c : to.getRecordComponents()) {
                Optional<RecordComponent> source = component(from, c.getName());
                if (source.isEmpty()) {
                    problems.add("missing property '" + c.getName() + "'");
                } else {
                    mismatch(source.get().getType(), c.getType())
                            .ifPresent(p -> problems.add("property '" + c.getName() + "': " + p));
                }
            }
            return problems.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", problems));
        }
        if (isScalar(from) && isScalar(to)) {
            return Number.class.isAssignableFrom(box(from)) && Number.class.isAssignableFrom(box(to))
                    ? Optional.empty()
                    : Optional.of(from.getSimpleName() + " is not " + to.getSimpleName());
        }
        return Optional.of(from.getSimpleName() + " is not " + to.getSimpleName());
    }

    private static Optional<RecordComponent> component(Class<?> record, String name) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getName().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static boolean isScalar(Class<?> type) {
        Class<?> b = box(type);
        return b == String.class || Number.class.isAssignableFrom(b) || b == Boolean.class || b == Character.class;
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }
}
