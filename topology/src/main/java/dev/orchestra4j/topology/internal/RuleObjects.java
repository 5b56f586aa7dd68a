package dev.orchestra4j.topology.internal;

import static dev.orchestra4j.topology.internal.Names.quote;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a rule object such as {@code {"type": "max_turns", "agent": "Writer", "turns": 3}} into its notation, so
 * that both forms go through the one rule parser. The argument keys per type: {@code timeout: seconds},
 * {@code max_steps: steps}, {@code max_agents: agents}, {@code max_turns: agent, turns},
 * {@code convergence_point: node}, {@code parallel: agents} (a list).
 */
final class RuleObjects {
    private static final Map<String, List<String>> ARGUMENTS = Map.of(
            "timeout", List.of("seconds"),
            "max_steps", List.of("steps"),
            "max_agents", List.of("agents"),
            "max_turns", List.of("agent", "turns"),
            "convergence_point", List.of("node"),
            "parallel", List.of("agents"));

    private RuleObjects() {}

    static String notation(Map<?, ?> map) {
        Map<String, Object> keyed = keyed(map);
        if (!(keyed.get("type") instanceof String type) || !ARGUMENTS.containsKey(type)) {
            throw new IllegalArgumentException("rule object needs a 'type', one of "
                    + ARGUMENTS.keySet().stream().sorted().toList() + ", was " + Items.describe(keyed.get("type")));
        }
        List<String> expected = ARGUMENTS.get(type);
        for (String key : keyed.keySet()) {
            if (!key.equals("type") && !expected.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown key " + quote(key) + " in a " + quote(type) + " rule, expected " + expected);
            }
        }
        StringBuilder text = new StringBuilder(type).append('(');
        for (int i = 0; i < expected.size(); i++) {
            Object value = keyed.get(expected.get(i));
            if (value == null) {
                throw new IllegalArgumentException(
                        "missing " + quote(expected.get(i)) + " in a " + quote(type) + " rule");
            }
            text.append(i == 0 ? "" : ", ").append(argument(value));
        }
        return text.append(')').toString();
    }

    static Map<String, Object> keyed(Map<?, ?> map) {
        Map<String, Object> keyed = new LinkedHashMap<>();
        map.forEach((key, value) -> keyed.put(String.valueOf(key), value));
        return keyed;
    }

    private static String argument(Object value) {
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(RuleObjects::scalar).toList());
        }
        return scalar(value);
    }

    private static String scalar(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new IllegalArgumentException("rule arguments must be names or numbers, was " + Items.describe(value));
    }
}
