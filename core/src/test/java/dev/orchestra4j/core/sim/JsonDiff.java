package dev.orchestra4j.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** The paths at which two JSON trees differ, for failure messages. */
final class JsonDiff {

    private static final int MAX = 12;

    private JsonDiff() {}

    static String describe(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("$", expected, actual, out);
        return String.join("\n", out.subList(0, Math.min(MAX, out.size())))
                + (out.size() > MAX ? "\n... " + (out.size() - MAX) + " more" : "");
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a.equals(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode x = a.get(name);
                JsonNode y = b.get(name);
                if (x == null || y == null) {
                    out.add(path + "." + name + ": before crash " + x + ", recovered " + y);
                } else {
                    diff(path + "." + name, x, y, out);
                }
            }
            return;
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            Iterator<JsonNode> x = a.elements();
            Iterator<JsonNode> y = b.elements();
            for (int i = 0; x.hasNext(); i++) {
                diff(path + "[" + i + "]", x.next(), y.next(), out);
            }
            return;
        }
        out.add(path + ": before crash " + abbreviate(a) + ", recovered " + abbreviate(b));
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
