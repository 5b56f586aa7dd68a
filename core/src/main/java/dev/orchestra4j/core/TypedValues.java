package dev.orchestra4j.core;

import dev.orchestra4j.core.internal.Json;

/** Converts run values (task, inputs, outputs, answers) to the Java type a caller asks for, through Jackson. */
final class TypedValues {

    private TypedValues() {}

    /**
     * {@code value} as a {@code type}: itself when it already is one, else converted by Jackson (a Map to a record or
     * POJO, a number to another number type, a String to an enum, …).
     *
     * @param what names the value in the error message, e.g. {@code "finalResponse"}
     * @throws IllegalArgumentException naming {@code what}, the value's type and the target type when Jackson cannot
     *     convert it
     */
    static <T> T convert(Object value, Class<T> type, String what) {
        java.util.Objects.requireNonNull(type, "type");
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        try {
            T converted = Json.MAPPER.convertValue(value, type);
            if (converted == null) {
                throw new IllegalArgumentException(what + " is null after conversion to " + type.getName());
            }
            return converted;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot convert " + what + " (a " + value.getClass().getName() + ") to " + type.getName() + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
