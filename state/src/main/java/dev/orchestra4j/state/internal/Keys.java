package dev.orchestra4j.state.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The one place that validates storage keys and prefixes. A key is 1 to {@value #MAX_LENGTH} characters
 * of {@code [A-Za-z0-9._:/-]}, made of {@code '/'}-separated segments of at most {@value
 * #MAX_SEGMENT_LENGTH} characters (so that every backend, including file systems with 255-byte names,
 * can hold them), none of which is empty, {@code "."} or {@code ".."}. Every backend calls it before
 * touching storage.
 */
public final class Keys {

    public static final int MAX_LENGTH = 512;
    public static final int MAX_SEGMENT_LENGTH = 200;

    private Keys() {}

    /** Returns {@code key} or throws an {@link IllegalArgumentException} naming it. */
    public static String requireValid(String key) {
        checkCharacters(key, "key");
        if (key.isEmpty()) {
            throw invalid("key", key, "it is empty");
        }
        String[] segments = key.split("/", -1);
        for (String segment : segments) {
            checkSegment("key", key, segment);
        }
        return key;
    }

    /**
     * Returns {@code prefix} (which may be empty or end with {@code '/'}) or throws an {@link
     * IllegalArgumentException} naming it. Complete segments follow the key rules.
     */
    public static String requireValidPrefix(String prefix) {
        checkCharacters(prefix, "prefix");
        String[] segments = prefix.split("/", -1);
        for (int i = 0; i < segments.length - 1; i++) {
            checkSegment("prefix", prefix, segments[i]);
        }
        return prefix;
    }

    /** Returns {@code version} or throws if it is not positive (a version an existing entry can have). */
    public static long requirePositiveVersion(long version) {
        if (version < 1) {
            throw new IllegalArgumentException("expectedVersion must be positive, was " + version);
        }
        return version;
    }

    /** Checks the arguments of a journal append; returns the entries (non-empty, no null element). */
    public static List<byte[]> requireAppend(long expectedLastSequence, List<byte[]> entries) {
        requireSequence("expectedLastSequence", expectedLastSequence);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("entries must not be empty");
        }
        for (int i = 0; i < entries.size(); i++) {
            Objects.requireNonNull(entries.get(i), "entries[" + i + "]");
        }
        return entries;
    }

    /** Returns {@code sequence} or throws if it is negative; {@code name} is the parameter's name. */
    public static long requireSequence(String name, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + sequence);
        }
        return sequence;
    }

    /** Returns {@code age} or throws if it is zero or negative: such an age would expire every entry. */
    public static Duration requirePositiveAge(Duration age) {
        Objects.requireNonNull(age, "age");
        if (age.isZero() || age.isNegative()) {
            throw new IllegalArgumentException("age must be positive, was " + age
                    + " (a zero or negative age would expire every entry, including running sessions)");
        }
        return age;
    }

    private static void checkCharacters(String value, String what) {
        if (value == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid(what, value, "it is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isAllowed(value.charAt(i))) {
                throw invalid(what, value, "character '" + value.charAt(i) + "' at index " + i + " is not allowed");
            }
        }
    }

    private static void checkSegment(String what, String value, String segment) {
        if (segment.isEmpty()) {
            throw invalid(what, value, "it has an empty segment (leading, trailing or double '/')");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw invalid(what, value, "segment '" + segment + "' is not allowed");
        }
        if (segment.length() > MAX_SEGMENT_LENGTH) {
            throw invalid(what, value, "a segment is longer than " + MAX_SEGMENT_LENGTH + " characters");
        }
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == ':'
                || c == '/'
                || c == '-';
    }

    private static IllegalArgumentException invalid(String what, String value, String reason) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return new IllegalArgumentException("Invalid storage " + what + " '" + shown + "': " + reason
                + "; use '/'-separated segments of [A-Za-z0-9._:-]");
    }
}
