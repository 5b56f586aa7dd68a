package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.Rule;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the canonical map form: every node in order (a bare name unless it has settings), every edge in order
 * (notation where the notation reproduces it exactly, two-way pairs folded back into one arrow, an object
 * otherwise), rules in notation, and metadata with sorted keys. Reading the result back gives an equal topology.
 */
public final class TopologyWriter {
    private TopologyWriter() {}

    /** Canonical JSON; see {@link Topology#toJson()}. */
    public static String toJson(Topology topology) {
        return Json.write(toMap(topology));
    }

    /** The canonical map form. */
    public static Map<String, Object> toMap(Topology topology) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("agents", topology.nodes().stream().map(TopologyWriter::node).toList());
        map.put("flows", flows(topology.edges()));
        map.put("rules", topology.rules().stream().map(Rule::notation).toList());
        map.put("metadata", topology.metadata());
        return map;
    }

    /**
     * The arrow of a two-way pair when {@code first} and {@code second} are exactly what parsing it produces,
     * else null.
     */
    static String pairArrow(Edge first, Edge second) {
        boolean mirrored = first.source().equals(second.target())
                && first.target().equals(second.source())
                && first.kind() == EdgeKind.INVOKE
                && second.kind() == EdgeKind.INVOKE
                && first.condition().isEmpty()
                && second.condition().isEmpty()
                && first.metadata().equals(second.metadata());
        if (!mirrored) {
            return null;
        }
        Map<String, Object> metadata = first.metadata();
        return switch (first.pattern()) {
            case "bidirectional" -> metadata.size() == 1 ? "<->" : null;
            case "symmetric" -> metadata.size() == 1 ? "<|>" : null;
            case "alternating" ->
                Integer.valueOf(Edge.DEFAULT_MAX_TURNS).equals(metadata.get(Edge.MAX_TURNS)) && metadata.size() == 2
                        ? "<~>"
                        : null;
            default -> null;
        };
    }

    private static Object node(Node node) {
        if (node.convergence() == ConvergenceMode.AUTO && node.metadata().isEmpty()) {
            return node.name();
        }
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", node.name());
        if (node.convergence() != ConvergenceMode.AUTO) {
            object.put("convergence", node.convergence().name().toLowerCase(Locale.ROOT));
        }
        if (!node.metadata().isEmpty()) {
            object.put("metadata", node.metadata());
        }
        return object;
    }

    private static List<Object> flows(List<Edge> edges) {
        List<Object> flows = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            Edge edge = edges.get(i);
            String arrow = i + 1 < edges.size() ? pairArrow(edge, edges.get(i + 1)) : null;
            if (arrow != null) {
                flows.add(edge.source() + " " + arrow + " " + edge.target());
                i++;
            } else if (edge.metadata().size() == 1 && edge.pattern().equals("directed")) {
                flows.add(edge.notation());
            } else {
                flows.add(edgeObject(edge));
            }
        }
        return flows;
    }

    private static Map<String, Object> edgeObject(Edge edge) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("source", edge.source());
        object.put("target", edge.target());
        if (edge.kind() != EdgeKind.INVOKE) {
            object.put("kind", edge.kind().name().toLowerCase(Locale.ROOT));
        }
        edge.condition().ifPresent(condition -> object.put("condition", condition));
        object.put("metadata", edge.metadata());
        return object;
    }
}
