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
        return first("$", want, got);
    }

    private static @Nullable String first(String path, JsonNode want, JsonNode got) {
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
                    return path + "." + name + ": committed " + shown(a) + ", replayed " + shown(b);
                }
                String inner = first(path + "." + name, a, b);
                if (inner != null) {
                    return inner;
                }
            }
        }
        if (want.isArray() && got.isArray()) {
            Iterator<JsonNode> a = want.elements();
            Iterator<JsonNode> b = got.elements();
            for (int i = 0; a.hasNext() && b.hasNext(); i++) {
                String inner = first(path + "[" + i + "]", a.next(), b.next());
                if (inner != null) {
                    return inner;
                }
            }
            return path + ": committed " + want.size() + " elements, replayed " + got.size();
        }
        return path + ": committed " + shown(want) + ", replayed " + shown(got);
    }

    private static String shown(@Nullable JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        String text = n.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
