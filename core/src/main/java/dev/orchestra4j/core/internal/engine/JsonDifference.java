package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Where two JSON trees first differ, said in a line: for a recovery that replays to a different state. */
final class JsonDifference {

    private JsonDifference() {}

    /** The first path where {@code want} and {@code got} differ, with both values (shortened); null when equal. */
    static @Nullable String first(JsonNode want, JsonNode got) {
        Found found = find("$", want, got);
        return found == null ? null : found.path() + ": " + found.values();
    }

    /**
     * Only the path of {@link #first}, without the values (they may be what a redactor keeps out of storage); null
     * when equal.
     */
    static @Nullable String place(JsonNode want, JsonNode got) {
        Found found = find("$", want, got);
        return found == null ? null : found.path();
    }

    /** A difference: where, and what each side holds there. */
    private record Found(String path, String values) {}

    private static @Nullable Found find(String path, JsonNode want, JsonNode got) {
        if (want.equals(got)) {
            return null;
        }
        if (want.isObject() && got.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            want.fieldNames().forEachRemaining(names::add);
            got.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode a = want.get(name);
                JsonNode b = got.get(name);
                if (a == null || b == null) {
                    return new Found(path + "." + name, "committed " + shown(a) + ", replayed " + shown(b));
                }
                Found inner = find(path + "." + name, a, b);
                if (inner != null) {
                    return inner;
                }
            }
        }
        if (want.isArray() && got.isArray()) {
            Iterator<JsonNode> a = want.elements();
            Iterator<JsonNode> b = got.elements();
            for (int i = 0; a.hasNext() && b.hasNext(); i++) {
                Found inner = find(path + "[" + i + "]", a.next(), b.next());
                if (inner != null) {
                    return inner;
                }
            }
            return new Found(path, "committed " + want.size() + " elements, replayed " + got.size());
        }
        return new Found(path, "committed " + shown(want) + ", replayed " + shown(got));
    }

    private static String shown(@Nullable JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        String text = n.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
