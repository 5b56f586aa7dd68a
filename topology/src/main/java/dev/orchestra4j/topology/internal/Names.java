package dev.orchestra4j.topology.internal;

import java.util.Objects;

/** The rules for node names: they must survive the edge and rule notations unchanged. */
public final class Names {
    /** Characters a node name may not contain: arrows, annotations and rule argument separators. */
    public static final String FORBIDDEN = "<>[],";

    private Names() {}

    /**
     * Returns the index of the first character that may not appear in a node name, or -1 if there is none.
     * Forbidden are {@value #FORBIDDEN} and control characters.
     */
    public static int firstForbidden(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (FORBIDDEN.indexOf(c) >= 0 || Character.isISOControl(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks a node name.
     *
     * @throws IllegalArgumentException if the name is blank, has surrounding whitespace or a forbidden character
     */
    public static String check(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank");
        }
        if (!name.strip().equals(name)) {
            throw new IllegalArgumentException("node name '" + name + "' must not start or end with whitespace");
        }
        int bad = firstForbidden(name);
        if (bad >= 0) {
            throw new IllegalArgumentException("node name '" + name + "' must not contain '"
                    + describe(name.charAt(bad)) + "' (forbidden: " + FORBIDDEN + " and control characters)");
        }
        return name;
    }

    /** Quotes an identifier for a message: {@code 'A'}. */
    public static String quote(String name) {
        return "'" + name + "'";
    }

    private static String describe(char c) {
        return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
