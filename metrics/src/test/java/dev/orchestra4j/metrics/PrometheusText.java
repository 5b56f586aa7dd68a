package dev.orchestra4j.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests. Every line must be a {@code # HELP}, a
 * {@code # TYPE} or a sample; names and label names follow the format's grammar; label values use only the escapes
 * {@code \\}, {@code \"} and {@code \n}; each family's TYPE appears once, before its samples, and a family's samples
 * are contiguous; no series repeats; values parse as doubles. Anything else throws {@link IllegalArgumentException}
 * naming the line.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> closedFamilies = new HashSet<>();
    private final Set<String> series = new HashSet<>();
    private String currentFamily = "";
    private int lineNumber;

    private PrometheusText() {}

    static PrometheusText parse(String body) {
        if (!body.isEmpty() && !body.endsWith("\n")) {
            throw new IllegalArgumentException("body must end with a line feed");
        }
        PrometheusText text = new PrometheusText();
        for (String line : body.split("\n", -1)) {
            text.lineNumber++;
            if (!line.isEmpty()) {
                text.line(line);
            }
        }
        return text;
    }

    Map<String, String> types() {
        return types;
    }

    Map<String, String> help() {
        return help;
    }

    List<Sample> samples() {
        return samples;
    }

    /** The value of the one sample with this name and exactly these labels ({@code key, value, key, value…}). */
    Optional<Double> value(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .map(Sample::value)
                .findFirst();
    }

    private void line(String line) {
        if (line.startsWith("# HELP ")) {
            String[] parts = line.substring(7).split(" ", 2);
            String name = name(parts[0]);
            if (help.put(name, parts.length > 1 ? unescape(parts[1]) : "") != null) {
                fail("second HELP for '" + name + "'");
            }
        } else if (line.startsWith("# TYPE ")) {
            String[] parts = line.substring(7).split(" ");
            if (parts.length != 2 || !TYPES.contains(parts[1])) {
                fail("malformed TYPE");
            }
            String name = name(parts[0]);
            if (types.put(name, parts[1]) != null) {
                fail("second TYPE for '" + name + "'");
            }
            enterFamily(name);
        } else if (line.startsWith("#")) {
            fail("neither HELP, TYPE nor a sample");
        } else {
            sample(line);
        }
    }

    private void sample(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
            end++;
        }
        String name = name(line.substring(0, end));
        Map<String, String> labels = new LinkedHashMap<>();
        int pos = end;
        if (pos < line.length() && line.charAt(pos) == '{') {
            pos = labels(line, pos + 1, labels);
        }
        if (pos >= line.length() || line.charAt(pos) != ' ') {
            fail("expected a space before the value");
        }
        String[] rest = line.substring(pos + 1).split(" ");
        if (rest.length > 2) {
            fail("trailing text after value and timestamp");
        }
        double value = number(rest[0]);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                fail("timestamp is not an integer: '" + rest[1] + "'");
            }
        }
        String family = familyOf(name);
        enterFamily(family);
        if (!series.add(name + labels)) {
            fail("series repeated: " + name + labels);
        }
        samples.add(new Sample(name, Map.copyOf(labels), value));
    }

    /** Parses {@code a="x",b="y"}} from {@code pos}; returns the index after the closing brace. */
    private int labels(String line, int pos, Map<String, String> labels) {
        while (true) {
            if (pos < line.length() && line.charAt(pos) == '}') {
                return pos + 1;
            }
            int eq = line.indexOf('=', pos);
            if (eq < 0) {
                fail("label without '='");
            }
            String key = line.substring(pos, eq);
            if (!LABEL_NAME.matcher(key).matches()) {
                fail("bad label name '" + key + "'");
            }
            if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                fail("label value of '" + key + "' is not quoted");
            }
            StringBuilder value = new StringBuilder();
            int i = eq + 2;
            for (; i < line.length() && line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    i++;
                    char escaped = i < line.length() ? line.charAt(i) : ' ';
                    switch (escaped) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> fail("bad escape in label value of '" + key + "'");
                    }
                } else {
                    value.append(c);
                }
            }
            if (i >= line.length()) {
                fail("unterminated label value of '" + key + "'");
            }
            if (labels.put(key, value.toString()) != null) {
                fail("label '" + key + "' repeated");
            }
            pos = i + 1;
            if (pos < line.length() && line.charAt(pos) == ',') {
                pos++;
            } else if (pos >= line.length() || line.charAt(pos) != '}') {
                fail("expected ',' or '}' after label '" + key + "'");
            }
        }
    }

    private String familyOf(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_count", "_sum", "_bucket")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("summary".equals(type) && !suffix.equals("_bucket") || "histogram".equals(type)) {
                    return base;
                }
            }
        }
        fail("sample '" + sampleName + "' has no TYPE before it");
        return "";
    }

    private void enterFamily(String family) {
        if (family.equals(currentFamily)) {
            return;
        }
        if (closedFamilies.contains(family)) {
            fail("samples of family '" + family + "' are not contiguous");
        }
        closedFamilies.add(currentFamily);
        currentFamily = family;
    }

    private String name(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("bad metric name '" + name + "'");
        }
        return name;
    }

    private double number(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!FLOAT.matcher(text).matches()) {
                    fail("value is not a number: '" + text + "'");
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = ++i < text.length() ? text.charAt(i) : ' ';
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                default -> fail("bad escape in HELP");
            }
        }
        return out.toString();
    }

    private void fail(String problem) {
        throw new IllegalArgumentException("line " + lineNumber + ": " + problem);
    }
}
