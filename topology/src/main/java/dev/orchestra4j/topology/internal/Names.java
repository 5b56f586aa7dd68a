package dev.orchestra4j.topology.internal;

import java.util.Locale;
import java.util.Objects;

/**
 * The rules for node names: they must survive the edge and rule notations unchanged and look like what they are.
 * Forbidden anywhere: {@value #FORBIDDEN}, arrow characters (the Unicode arrow blocks and look-alikes of
 * {@code <} and {@code >}), and every character that is invisible or moves text around: controls, format and
 * bidi characters (zero-width space, joiners, BOM, soft hyphen), separators other than the plain space (NBSP,
 * thin spaces, line separators), variation selectors, fillers, surrogates, private-use and unassigned code
 * points. A name may also not start or end with {@code -}, {@code ~} or {@code |}, so that {@code "A --> B"}
 * can never parse as an edge from {@code "A -"}.
 */
public final class Names {
    /** Characters a node name may not contain: arrows, annotations and rule argument separators. */
    public static final String FORBIDDEN = "<>[],";

    /** Characters a node name may not start or end with: they belong to arrows. */
    public static final String ARROW_ENDS = "-~|";

    private Names() {}

    /**
     * Returns the index (in chars) of the first character that may not appear in a node name, or -1 if there is
     * none. See the class comment for what is forbidden; start and end characters are checked by
     * {@link #badEnd(String)}.
     */
    public static int firstForbidden(String name) {
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (isForbidden(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** Returns the index of the first control or invisible character (see the class comment), or -1. */
    public static int firstInvisible(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if ((cp < 0x20 || cp == 0x7f) || (cp >= 0x80 && isInvisible(cp))) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /**
     * Returns the index of a leading or trailing {@code -}, {@code ~} or {@code |} of the stripped name, or -1.
     */
    public static int badEnd(String name) {
        String stripped = name.strip();
        if (stripped.isEmpty()) {
            return -1;
        }
        int lead = name.indexOf(stripped);
        if (ARROW_ENDS.indexOf(stripped.charAt(0)) >= 0) {
            return lead;
        }
        if (ARROW_ENDS.indexOf(stripped.charAt(stripped.length() - 1)) >= 0) {
            return lead + stripped.length() - 1;
        }
        return -1;
    }

    /**
     * Checks a node name.
     *
     * @throws IllegalArgumentException if the name is blank, has surrounding whitespace, a forbidden character or
     *     starts or ends with an arrow character; the message names the character and its 1-based position
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
            throw new IllegalArgumentException("node name '" + name + "' must not contain "
                    + describe(name.codePointAt(bad)) + " (at position " + (bad + 1) + "; forbidden: " + FORBIDDEN
                    + ", arrows, control and invisible characters)");
        }
        int end = badEnd(name);
        if (end >= 0) {
            throw new IllegalArgumentException("node name '" + name + "' must not start or end with '"
                    + name.charAt(end) + "' (at position " + (end + 1) + "): it belongs to an arrow");
        }
        return name;
    }

    /** Quotes an identifier for a message: {@code 'A'}. */
    public static String quote(String name) {
        return "'" + name + "'";
    }

    /**
     * Describes a character for a message: {@code '>'} for a visible ASCII one, else its code point and Unicode
     * name, e.g. {@code U+200B ZERO WIDTH SPACE}.
     */
    public static String describe(int cp) {
        if (cp > 0x20 && cp < 0x7f) {
            return "'" + (char) cp + "'";
        }
        String code = String.format(Locale.ROOT, "U+%04X", cp);
        String unicodeName = Character.getName(cp);
        return unicodeName == null ? code : code + " " + unicodeName;
    }

    private static boolean isForbidden(int cp) {
        if (cp < 0x80) {
            return FORBIDDEN.indexOf(cp) >= 0 || cp < 0x20 || cp == 0x7f;
        }
        return isArrow(cp) || isInvisible(cp);
    }

    private static boolean isArrow(int cp) {
        return (cp >= 0x2190 && cp <= 0x21FF) // Arrows
                || (cp >= 0x27F0 && cp <= 0x27FF) // Supplemental Arrows-A
                || (cp >= 0x2900 && cp <= 0x297F) // Supplemental Arrows-B
                || (cp >= 0x2B00 && cp <= 0x2B2F) // Miscellaneous Symbols and Arrows (arrows part)
                || (cp >= 0x2794 && cp <= 0x27BF) // Dingbat arrows
                || (cp >= 0x1F800 && cp <= 0x1F8FF) // Supplemental Arrows-C
                || cp == 0x2039
                || cp == 0x203A // single angle quotation marks
                || cp == 0x2329
                || cp == 0x232A
                || cp == 0x27E8
                || cp == 0x27E9
                || cp == 0x3008
                || cp == 0x3009 // angle brackets
                || cp == 0xFE64
                || cp == 0xFE65
                || cp == 0xFF1C
                || cp == 0xFF1E; // small and full-width < >
    }

    private static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return switch (type) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SPACE_SEPARATOR,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED -> true;
            default ->
                (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors
                        || (cp >= 0xE0100 && cp <= 0xE01EF)
                        || cp == 0x115F
                        || cp == 0x1160
                        || cp == 0x3164
                        || cp == 0xFFA0 // Hangul fillers
                        || cp == 0x2800 // braille blank
                        || cp == 0x034F; // combining grapheme joiner
        };
    }
}
