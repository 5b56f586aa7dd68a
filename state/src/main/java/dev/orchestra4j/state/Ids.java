package dev.orchestra4j.state;

import java.util.regex.Pattern;

/** Validation of session ids and checkpoint names: {@code [A-Za-z0-9._-]{1,128}}, not "." or "..". */
final class Ids {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private Ids() {}

    static String requireSessionId(String sessionId) {
        return require(sessionId, "session id");
    }

    static String requireCheckpointName(String name) {
        return require(name, "checkpoint name");
    }

    static boolean isValid(String value) {
        return ID.matcher(value).matches() && !value.equals(".") && !value.equals("..");
    }

    private static String require(String value, String what) {
        if (value == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (!isValid(value)) {
            throw new IllegalArgumentException(
                    "Invalid " + what + " '" + value + "': use 1 to 128 of [A-Za-z0-9._-], not '.' or '..'");
        }
        return value;
    }
}
