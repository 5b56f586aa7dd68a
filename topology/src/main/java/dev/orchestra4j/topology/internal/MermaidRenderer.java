package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.Topology;
import dev.orchestra4j.topology.TopologyAnalysis;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a topology as a Mermaid {@code flowchart LR}. Start and End are stadiums, User a parallelogram, agents
 * rectangles and rendezvous nodes hexagons with the {@code rendezvous} class. Error edges are dashed and labelled
 * {@code on error}, conditions label their edges, and two-way pairs are drawn as one {@code <-->} line labelled
 * with their pattern.
 */
public final class MermaidRenderer {
    private MermaidRenderer() {}

    /** The Mermaid source, one statement per line. */
    public static String render(Topology topology) {
        TopologyAnalysis analysis = topology.analysis();
        Map<String, String> ids = new HashMap<>();
        StringBuilder out = new StringBuilder("flowchart LR\n");
        List<Node> nodes = topology.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            ids.put(node.name(), "n" + i);
            out.append("    n")
                    .append(i)
                    .append(shape(node, analysis.isRendezvous(node.name())))
                    .append('\n');
        }
        edges(topology.edges(), ids, out);
        if (!analysis.rendezvousNodes().isEmpty()) {
            out.append("    classDef rendezvous fill:#fde68a,stroke:#b45309,stroke-width:2px\n");
            analysis.rendezvousNodes()
                    .forEach(name ->
                            out.append("    class ").append(ids.get(name)).append(" rendezvous\n"));
        }
        return out.toString();
    }

    private static void edges(List<Edge> edges, Map<String, String> ids, StringBuilder out) {
        for (int i = 0; i < edges.size(); i++) {
            Edge edge = edges.get(i);
            String arrow = i + 1 < edges.size() ? TopologyWriter.pairArrow(edge, edges.get(i + 1)) : null;
            out.append("    ").append(ids.get(edge.source()));
            if (arrow != null) {
                out.append(" <-->").append(pairLabel(edge));
                i++;
            } else {
                out.append(link(edge));
            }
            out.append(' ').append(ids.get(edge.target())).append('\n');
        }
    }

    private static String shape(Node node, boolean rendezvous) {
        String label = quoted(node.name());
        return switch (node.kind()) {
            case START, END -> "([" + label + "])";
            case USER -> "[/" + label + "/]";
            case AGENT -> rendezvous ? "{{" + label + "}}" : "[" + label + "]";
        };
    }

    private static String link(Edge edge) {
        if (edge.isError()) {
            return " -. \"on error\" .->";
        }
        return edge.condition()
                .map(condition -> " -->|" + quoted("when " + condition) + "|")
                .orElse(" -->");
    }

    private static String pairLabel(Edge edge) {
        return switch (edge.pattern()) {
            case "alternating" ->
                "|" + quoted("alternating, max " + edge.metadata().get(Edge.MAX_TURNS)) + "|";
            case "symmetric" -> "|" + quoted("symmetric") + "|";
            default -> "";
        };
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "#quot;") + "\"";
    }
}
