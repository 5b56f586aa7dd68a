package dev.orchestra4j.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Collects what is wrong with a group of properties, each message led by the full property name, so that the builders
 * of core stay the single source of validation rules and the user still learns which property to fix.
 */
final class Problems {

    private final String prefix;
    private final List<String> messages = new ArrayList<>();

    Problems(String prefix) {
        this.prefix = prefix;
    }

    /** Calls {@code setter} with {@code value} when the property is set, recording the setter's complaint. */
    <T> void set(String property, @Nullable T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            add(property, e.getMessage());
        }
    }

    /** Builds, recording a complaint that concerns several properties at once under {@code properties}. */
    <T> @Nullable T build(String properties, Supplier<T> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException e) {
            add(properties, e.getMessage());
            return null;
        }
    }

    void add(String property, @Nullable String message) {
        messages.add(prefix + property + ": " + (message == null ? "invalid value" : message));
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    /** Throws when anything was recorded: validation at binding time normally reports these first. */
    void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new IllegalStateException("Invalid Orchestra4j configuration:\n  " + String.join("\n  ", messages));
        }
    }
}
