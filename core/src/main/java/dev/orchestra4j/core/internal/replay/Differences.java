package dev.orchestra4j.core.internal.replay;

import com.fasterxml.jackson.databind.JsonNode;

/** Says in one line how a request differs from the recorded one. */
final class Differences {

    private static final int SHOWN = 120;

    private Differences() {}

    /** {@code expected} and {@code actual} are model-call records ({@code messages}, {@code tools}). */
    static String firstDifference(JsonNode expected, JsonNode actual) {
        JsonNode a = expected.path("messages");
        JsonNode b = actual.path("messages");
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            JsonNode x = a.path(i);
            JsonNode y = b.path(i);
            if (!x.equals(y)) {
                String role = (y.isMissingNode() ? x : y).path("type").asText("?");
                String was = text(x);
                String now = text(y);
                int from = Math.max(0, firstDifferentChar(was, now) - 30);
                return "something else in message " + (i + 1) + " (" + role + ")"
                        + (from > 0 ? " from character " + from : "")
                        + ": recorded " + shorten(was.substring(Math.min(from, was.length())))
                        + ", now " + shorten(now.substring(Math.min(from, now.length())));
            }
        }
        if (!expected.path("tools").equals(actual.path("tools"))) {
            return "with other tools: recorded " + expected.path("tools") + ", now " + actual.path("tools");
        }
        if (!expected.path("toolsDigest").equals(actual.path("toolsDigest"))) {
            return "with other tool definitions (same names " + actual.path("tools") + ")";
        }
        return "something else in text that the recording does not show as it was sent: the storage's redactor or"
                + " secret masking changed it, so the run cannot be replayed past this call";
    }

    private static int firstDifferentChar(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    private static String text(JsonNode message) {
        if (message.isMissingNode()) {
            return "(no message)";
        }
        JsonNode text = message.path("text");
        if (text.isTextual()) {
            return text.asText();
        }
        JsonNode contents = message.path("contents");
        if (contents.isArray() && !contents.isEmpty()) {
            return contents.path(0).path("text").asText(contents.toString());
        }
        return message.toString();
    }

    static String shorten(String text) {
        String flat = text.replace('\n', ' ');
        return "\"" + (flat.length() <= SHOWN ? flat : flat.substring(0, SHOWN) + "…") + "\"";
    }
}
