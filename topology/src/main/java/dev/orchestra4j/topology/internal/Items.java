package dev.orchestra4j.topology.internal;

import static dev.orchestra4j.topology.internal.Names.quote;

import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.Rule;
import dev.orchestra4j.topology.TopologyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts the items of the map form (names or node objects, edge notations or edge objects, rule notations or
 * rule objects) into model types, adding a problem for each bad item instead of stopping at the first.
 */
final class Items {
    private static final Set<String> NODE_KEYS = Set.of("name", "kind", "convergence", "metadata");
    private static final Set<String> EDGE_KEYS = Set.of("source", "target", "kind", "condition", "metadata");

    private final List<String> problems;

    Items(List<String> problems) {
        this.problems = problems;
    }

    List<Node> nodes(Object value) {
        List<Node> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<?> list = list(value, "agents");
        for (int i = 0; i < list.size(); i++) {
            Optional<Node> node = node(list.get(i), "agents[" + i + "]");
            if (node.isPresent() && !names.add(node.get().name())) {
                problems.add(
                        "agents[" + i + "]: duplicate agent " + quote(node.get().name()));
            } else {
                node.ifPresent(nodes::add);
            }
        }
        return nodes;
    }

    List<Edge> edges(Object value) {
        List<Edge> edges = new ArrayList<>();
        List<?> list = list(value, "flows");
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String where = "flows[" + i + "]";
            if (item instanceof String notation) {
                guard(where, () -> edges.addAll(EdgeParser.parse(notation)));
            } else if (item instanceof Edge edge) {
                edges.add(edge);
            } else if (item instanceof Map<?, ?> map && checkKeys(map, EDGE_KEYS, where)) {
                guard(where, () -> edges.add(edge(map, where)));
            } else if (!(item instanceof Map<?, ?>)) {
                problems.add(where + ": expected an edge notation, an Edge or an object, was " + describe(item));
            }
        }
        return edges;
    }

    List<Rule> rules(Object value) {
        List<Rule> rules = new ArrayList<>();
        List<?> list = list(value, "rules");
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String where = "rules[" + i + "]";
            if (item instanceof String notation) {
                guard(where, () -> rules.add(RuleParser.parse(notation)));
            } else if (item instanceof Map<?, ?> map) {
                guard(where, () -> rules.add(RuleParser.parse(RuleObjects.notation(map))));
            } else {
                problems.add(where + ": expected a rule notation or an object, was " + describe(item));
            }
        }
        return rules;
    }

    Map<String, Object> metadata(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(quote(where) + " must be an object, was " + describe(value));
            return Map.of();
        }
        try {
            return Metadata.copy(RuleObjects.keyed(map));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return Map.of();
        }
    }

    Optional<String> string(Object value, String key) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text && !text.isBlank()) {
            return Optional.of(text.strip());
        }
        problems.add(quote(key) + " must be a node name, was " + describe(value));
        return Optional.empty();
    }

    Optional<List<String>> strings(Object value, String key) {
        if (value == null) {
            return Optional.empty();
        }
        List<?> list = value instanceof String ? List.of(value) : list(value, key);
        List<String> result = new ArrayList<>();
        for (Object item : list) {
            string(item, key).ifPresent(result::add);
        }
        return Optional.of(result);
    }

    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String text -> "the string '" + text + "'";
            case Map<?, ?> map -> "an object";
            case List<?> list -> "a list";
            default -> "the " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + value;
        };
    }

    private List<?> list(Object value, String key) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list;
        }
        problems.add(quote(key) + " must be a list, was " + describe(value));
        return List.of();
    }

    private Optional<Node> node(Object item, String where) {
        if (item instanceof String name) {
            return guard(where, () -> Node.of(name.strip()));
        }
        if (!(item instanceof Map<?, ?> map)) {
            problems.add(where + ": expected a node name or an object, was " + describe(item));
            return Optional.empty();
        }
        if (!checkKeys(map, NODE_KEYS, where)) {
            return Optional.empty();
        }
        return guard(where, () -> {
            String name = text(map, "name", where).orElseThrow(() -> missing("name"));
            text(map, "kind", where).ifPresent(kind -> checkKind(name, kind));
            ConvergenceMode mode = text(map, "convergence", where)
                    .map(text -> constant(ConvergenceMode.class, "convergence", text))
                    .orElse(ConvergenceMode.AUTO);
            return new Node(name, Node.kindOf(name), mode, metadata(map.get("metadata"), where + ".metadata"));
        });
    }

    private Edge edge(Map<?, ?> map, String where) {
        String source = text(map, "source", where).orElseThrow(() -> missing("source"));
        String target = text(map, "target", where).orElseThrow(() -> missing("target"));
        EdgeKind kind = text(map, "kind", where)
                .map(text -> constant(EdgeKind.class, "kind", text))
                .orElse(EdgeKind.INVOKE);
        Optional<String> condition = text(map, "condition", where);
        return new Edge(source, target, kind, condition, metadata(map.get("metadata"), where + ".metadata"));
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String key, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .toList();
        throw new IllegalArgumentException(key + " must be one of " + allowed + ", was '" + text + "'");
    }

    private static void checkKind(String name, String kind) {
        if (!Node.kindOf(name).name().equalsIgnoreCase(kind)) {
            throw new IllegalArgumentException(
                    "node " + quote(name) + " has kind " + Node.kindOf(name) + ", not '" + kind + "'");
        }
    }

    private static Optional<String> text(Map<?, ?> map, String key, String where) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text.strip());
        }
        throw new IllegalArgumentException(quote(key) + " must be a string, was " + describe(value));
    }

    private static IllegalArgumentException missing(String key) {
        return new IllegalArgumentException("missing " + quote(key));
    }

    private boolean checkKeys(Map<?, ?> map, Set<String> allowed, String where) {
        boolean valid = true;
        for (Object key : map.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                problems.add(where + ": unknown key " + quote(String.valueOf(key)) + ", expected one of "
                        + allowed.stream().sorted().toList());
                valid = false;
            }
        }
        return valid;
    }

    private <T> Optional<T> guard(String where, java.util.function.Supplier<T> conversion) {
        try {
            return Optional.of(conversion.get());
        } catch (TopologyException e) {
            problems.addAll(e.problems());
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private void guard(String where, Runnable conversion) {
        guard(where, () -> {
            conversion.run();
            return Boolean.TRUE;
        });
    }
}
