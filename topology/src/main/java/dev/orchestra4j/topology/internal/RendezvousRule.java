package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.Rule;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which nodes are rendezvous (SPEC §2.5). A node is one when its convergence is {@code FORCE} (or a
 * {@code convergence_point} rule names it), or when it is {@code AUTO} and at least two distinct sources of its
 * {@code INVOKE} edges are <em>inputs</em>. A source is not an input when the node has an edge back to it (a
 * conversation), nor when the edge is a <em>loop back</em>: source and node lie in the same strongly connected
 * component and the source is no closer to {@code Start} (in {@code INVOKE} hops) than the node. So
 * {@code Start -> Planner -> Coder -> Tester -> Planner} leaves Planner an ordinary node that each lap passes
 * through, while a join fed by two branches of a loop ({@code A -> B, A -> C, B -> D, C -> D, D -> A}) is still
 * a rendezvous.
 */
public final class RendezvousRule {
    private final GraphIndex graph;
    private final int[] component;
    private final int[] depth;

    private RendezvousRule(GraphIndex graph) {
        this.graph = graph;
        this.component = components(graph);
        this.depth = depths(graph);
    }

    /** The rendezvous nodes, in node declaration order. */
    public static Set<String> of(List<Node> nodes, List<Edge> edges, List<Rule> rules, GraphIndex graph) {
        return new RendezvousRule(graph).find(nodes, edges, rules);
    }

    private Set<String> find(List<Node> nodes, List<Edge> edges, List<Rule> rules) {
        Set<String> forced = new HashSet<>();
        rules.stream()
                .filter(Rule.ConvergencePoint.class::isInstance)
                .forEach(rule -> forced.add(((Rule.ConvergencePoint) rule).node()));
        Set<String> links = new HashSet<>();
        Map<String, Set<String>> sources = new HashMap<>(); // distinct sources of INVOKE edges, by target
        for (Edge edge : edges) {
            if (edge.kind() == EdgeKind.INVOKE) {
                links.add(edge.source() + "\n" + edge.target());
                sources.computeIfAbsent(edge.target(), target -> new LinkedHashSet<>())
                        .add(edge.source());
            }
        }
        Set<String> result = new LinkedHashSet<>();
        for (Node node : nodes) {
            if (node.isAgent() && isRendezvous(node, forced, links, sources.getOrDefault(node.name(), Set.of()))) {
                result.add(node.name());
            }
        }
        return Collections.unmodifiableSet(result);
    }

    private boolean isRendezvous(Node node, Set<String> forced, Set<String> links, Set<String> sources) {
        if (node.convergence() == ConvergenceMode.FORCE || forced.contains(node.name())) {
            return true;
        }
        if (node.convergence() == ConvergenceMode.DISABLED) {
            return false;
        }
        long inputs = sources.stream()
                .filter(source -> !links.contains(node.name() + "\n" + source))
                .filter(source -> !isLoopBack(source, node.name()))
                .count();
        return inputs >= 2;
    }

    private boolean isLoopBack(String source, String target) {
        int from = graph.indexOf(source);
        int to = graph.indexOf(target);
        return from >= 0
                && to >= 0
                && component[from] >= 0
                && component[from] == component[to]
                && depth[from] >= depth[to];
    }

    private static int[] components(GraphIndex graph) {
        int[] component = new int[graph.size()];
        Arrays.fill(component, -1);
        List<List<Integer>> cycles = graph.cycles();
        for (int c = 0; c < cycles.size(); c++) {
            for (int member : cycles.get(c)) {
                component[member] = c;
            }
        }
        return component;
    }

    /** Hops from Start over INVOKE edges; unreachable nodes get {@code Integer.MAX_VALUE}. */
    private static int[] depths(GraphIndex graph) {
        int[] depth = new int[graph.size()];
        Arrays.fill(depth, Integer.MAX_VALUE);
        int start = graph.indexOf(Node.START);
        if (start < 0) {
            return depth;
        }
        depth[start] = 0;
        Deque<Integer> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            int next = queue.poll();
            for (int successor : graph.invokeSuccessors(next)) {
                if (depth[successor] == Integer.MAX_VALUE) {
                    depth[successor] = depth[next] + 1;
                    queue.add(successor);
                }
            }
        }
        return depth;
    }
}
