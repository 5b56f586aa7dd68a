package dev.orchestra4j.topology.internal;

import static dev.orchestra4j.topology.internal.Names.quote;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import dev.orchestra4j.topology.Rule;
import dev.orchestra4j.topology.Topology;
import dev.orchestra4j.topology.TopologyException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the map form (SPEC §2.2) from a {@code Map}, JSON or YAML. Reading problems (unknown keys, bad items,
 * notation errors, flows naming undeclared agents) are all collected; when there are none, the legacy translation
 * runs and the builder validates. Either way one {@link TopologyException} lists everything found.
 */
public final class TopologyReader {
    private static final List<String> KEYS =
            List.of("agents", "nodes", "flows", "edges", "rules", "metadata", "entry_point", "exit_points");

    private final List<String> problems = new ArrayList<>();
    private final Items items = new Items(problems);

    private TopologyReader() {}

    /** Reads a map; see {@link Topology#fromMap(Map)}. */
    public static Topology fromMap(Map<String, ?> map) {
        Objects.requireNonNull(map, "map");
        return new TopologyReader().read(map);
    }

    /** Reads JSON; see {@link Topology#fromJson(String)}. */
    public static Topology fromJson(String json) {
        return fromDocument(Json.read(Json.JSON, Objects.requireNonNull(json, "json"), "JSON"), "JSON");
    }

    /** Reads YAML; see {@link Topology#fromYaml(String)}. */
    public static Topology fromYaml(String yaml) {
        return fromDocument(Json.read(Json.YAML, Objects.requireNonNull(yaml, "yaml"), "YAML"), "YAML");
    }

    private static Topology fromDocument(Object document, String format) {
        if (!(document instanceof Map<?, ?> map)) {
            throw new TopologyException("topology " + format + " must be an object with keys " + KEYS + ", was "
                    + Items.describe(document));
        }
        Map<String, Object> keyed = new LinkedHashMap<>();
        map.forEach((key, value) -> keyed.put(String.valueOf(key), value));
        return fromMap(keyed);
    }

    private Topology read(Map<String, ?> map) {
        checkKeys(map);
        List<Node> nodes = items.nodes(alias(map, "agents", "nodes"));
        List<Edge> edges = items.edges(alias(map, "flows", "edges"));
        LegacyForm legacy = new LegacyForm(
                items.string(map.get("entry_point"), "entry_point"),
                items.strings(map.get("exit_points"), "exit_points"));
        List<Rule> rules = items.rules(map.get("rules"));
        Map<String, Object> metadata = items.metadata(map.get("metadata"), "metadata");
        checkDeclared(nodes, edges);
        if (problems.isEmpty()) {
            edges = legacy.translate(nodes, edges, problems);
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(problems);
        }
        Topology.Builder builder = Topology.builder();
        nodes.forEach(builder::node);
        edges.forEach(builder::edge);
        rules.forEach(builder::rule);
        metadata.forEach(builder::metadata);
        return builder.build();
    }

    private void checkKeys(Map<String, ?> map) {
        for (String key : map.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown key " + quote(key) + ": expected 'agents', 'flows', 'rules', 'metadata', "
                        + "'entry_point' or 'exit_points' ('nodes' and 'edges' are aliases)");
            }
        }
        if (map.containsKey("agents") && map.containsKey("nodes")) {
            problems.add("use either 'agents' or its alias 'nodes', not both");
        }
        if (map.containsKey("flows") && map.containsKey("edges")) {
            problems.add("use either 'flows' or its alias 'edges', not both");
        }
    }

    private static Object alias(Map<String, ?> map, String key, String alias) {
        Object value = map.get(key);
        return value != null ? value : map.get(alias);
    }

    private void checkDeclared(List<Node> nodes, List<Edge> edges) {
        if (nodes.stream().noneMatch(Node::isAgent)) {
            return;
        }
        Set<String> declared = new HashSet<>();
        nodes.forEach(node -> declared.add(node.name()));
        Set<String> reported = new HashSet<>();
        for (Edge edge : edges) {
            for (String end : List.of(edge.source(), edge.target())) {
                if (Node.kindOf(end) == NodeKind.AGENT && !declared.contains(end) && reported.add(end)) {
                    problems.add("flow " + quote(edge.notation()) + " references " + quote(end)
                            + ", which is not listed in 'agents'");
                }
            }
        }
    }
}
