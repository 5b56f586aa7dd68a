package dev.orchestra4j.topology;

import dev.orchestra4j.topology.internal.GraphIndex;
import dev.orchestra4j.topology.internal.RendezvousReach;
import dev.orchestra4j.topology.internal.RendezvousRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the engine needs to know about a {@link Topology}, computed once when the topology is built and
 * immutable afterwards; every query is a map lookup or a bit test. Queries about unknown nodes answer empty or
 * {@code false}. Only {@code INVOKE} edges count for successors, reachability, cycles and rendezvous detection;
 * {@code ERROR} edges are reported by {@link #errorTarget(String)}.
 *
 * <p>A node is a <em>rendezvous</em> when its convergence is {@code FORCE} (or a {@code convergence_point} rule
 * names it), or when it is {@code AUTO} and at least two distinct sources of its incoming edges have no edge
 * back from it ({@code Start} counts as such a source). An edge that loops back inside a cycle (its source is in
 * the same strongly connected component and no closer to {@code Start} than the node) is not counted, so a loop
 * back to an entry agent ({@code Start -> Planner}, ..., {@code Tester -> Planner}) passes through Planner
 * instead of waiting there. {@code Start}, {@code End} and {@code User} never are rendezvous.
 *
 * <p>Two rules shape dispatch: {@code parallel(A, B, C)} makes a hand-off or reply that reaches one of them
 * reach all of them as one fork ({@link #dispatchGroup(String, String)}), and {@code A <|> B} makes A and B
 * symmetric peers that hand work to each other but never fork to each other
 * ({@link #isSymmetricPeer(String, String)}).
 */
public final class TopologyAnalysis {
    private final List<Node> nodes;
    private final List<Edge> edges;
    private final List<Rule> rules;
    private volatile @Nullable TopologyAnalysis explicitOnly;
    private final GraphIndex graph;
    private final Map<String, List<Edge>> outgoing;
    private final Map<String, List<String>> successors;
    private final Map<String, String> errorTargets;
    private final List<String> entryAgents;
    private final List<String> exitAgents;
    private final Set<String> rendezvous;
    private final List<Set<String>> cycles;
    private final Map<String, Set<String>> reachableRendezvous;
    private final Map<String, Integer> maxTurnsRules;
    private final Map<String, Integer> maxTurnsEdges;
    private final Map<String, List<String>> dispatchGroups;
    private final Set<String> symmetricLinks;

    TopologyAnalysis(List<Node> nodes, List<Edge> edges, List<Rule> rules) {
        this.nodes = nodes;
        this.edges = edges;
        this.rules = rules;
        this.graph = GraphIndex.of(nodes, edges);
        this.outgoing = outgoingEdges(nodes, edges);
        this.successors = targets(outgoing);
        this.errorTargets = errorTargets(edges);
        this.entryAgents = successors.getOrDefault(Node.START, List.of());
        this.exitAgents = exitAgents(edges);
        this.rendezvous = RendezvousRule.of(nodes, edges, rules, graph);
        this.cycles = cycles();
        this.reachableRendezvous = RendezvousReach.of(graph, rendezvous);
        this.maxTurnsRules = maxTurnsRules(rules);
        this.maxTurnsEdges = maxTurnsEdges(edges);
        this.dispatchGroups = dispatchGroups(rules);
        this.symmetricLinks = symmetricLinks(edges);
    }

    /** The targets of {@code Start}, in declaration order: each starts a branch with the task. */
    public List<String> entryAgents() {
        return entryAgents;
    }

    /** The agents with an {@code INVOKE} edge to {@code End}, in edge declaration order. */
    public List<String> exitAgents() {
        return exitAgents;
    }

    /**
     * This analysis with automatic rendezvous detection off: only nodes marked {@code FORCE} or named by a
     * {@code convergence_point} rule are rendezvous; every {@code AUTO} node counts as {@code DISABLED}. The engine
     * uses it when {@code ExecutionConfig.dynamicConvergenceEnabled} is false.
     */
    public TopologyAnalysis explicitConvergenceOnly() {
        TopologyAnalysis result = explicitOnly;
        if (result == null) {
            List<Node> explicit = nodes.stream()
                    .map(node -> node.isAgent() && node.convergence() == ConvergenceMode.AUTO
                            ? node.withConvergence(ConvergenceMode.DISABLED)
                            : node)
                    .toList();
            result = new TopologyAnalysis(explicit, edges, rules);
            explicitOnly = result;
        }
        return result;
    }

    /** The rendezvous nodes, in node declaration order. */
    public Set<String> rendezvousNodes() {
        return rendezvous;
    }

    /** Whether {@code node} is a rendezvous. */
    public boolean isRendezvous(String node) {
        return rendezvous.contains(node);
    }

    /**
     * The cycles: strongly connected components over {@code INVOKE} edges with more than one node or a
     * self-loop, members in declaration order.
     */
    public List<Set<String>> stronglyConnectedComponents() {
        return cycles;
    }

    /** Distinct targets of {@code INVOKE} edges out of {@code node} (End and User included), in declaration order. */
    public List<String> successors(String node) {
        return successors.getOrDefault(node, List.of());
    }

    /** Whether {@code from} has an {@code INVOKE} edge to {@code to}. */
    public boolean canInvoke(String from, String to) {
        return successors(from).contains(to);
    }

    /** The {@code INVOKE} edges out of {@code node}, in declaration order (conditions included). */
    public List<Edge> outgoing(String node) {
        return outgoing.getOrDefault(node, List.of());
    }

    /** The target of {@code node}'s {@code [on error]} edge, if it has one. */
    public Optional<String> errorTarget(String node) {
        return Optional.ofNullable(errorTargets.get(node));
    }

    /** Whether {@code node} has an {@code INVOKE} edge to {@code End}. */
    public boolean canFinish(String node) {
        return canInvoke(node, Node.END);
    }

    /** Whether {@code node} has an {@code INVOKE} edge to {@code User}. */
    public boolean canAskUser(String node) {
        return canInvoke(node, Node.USER);
    }

    /** Whether a path of at least one {@code INVOKE} edge leads from {@code from} to {@code to}; O(1). */
    public boolean canReach(String from, String to) {
        int source = graph.indexOf(from);
        int target = graph.indexOf(to);
        return source >= 0 && target >= 0 && graph.canReach(source, target);
    }

    /**
     * The rendezvous nodes a branch at {@code node} may arrive at next: walking forward from its successors
     * through non-rendezvous agents and stopping at (and including) rendezvous nodes. Includes {@code node}
     * itself when it is a rendezvous reachable that way.
     */
    public Set<String> reachableRendezvous(String node) {
        return reachableRendezvous.getOrDefault(node, Set.of());
    }

    /**
     * The turn limit for the conversation {@code from <-> to}: the smallest {@code max_turns} rule naming either
     * endpoint, else the {@code max_turns} metadata of the edge {@code from -> to} (or its reverse).
     */
    public OptionalInt maxTurns(String from, String to) {
        Integer fromRule = maxTurnsRules.get(from);
        Integer toRule = maxTurnsRules.get(to);
        if (fromRule != null || toRule != null) {
            return OptionalInt.of(Math.min(
                    fromRule == null ? Integer.MAX_VALUE : fromRule, toRule == null ? Integer.MAX_VALUE : toRule));
        }
        Integer edge = maxTurnsEdges.getOrDefault(from + "\n" + to, maxTurnsEdges.get(to + "\n" + from));
        return edge == null ? OptionalInt.empty() : OptionalInt.of(edge);
    }

    /** Whether any {@code parallel} rule groups agents: when not, {@link #dispatchGroup} is always its target alone. */
    public boolean hasDispatchGroups() {
        return !dispatchGroups.isEmpty();
    }

    /**
     * The agents a dispatch from {@code from} to {@code target} goes to: when a {@code parallel} rule names
     * {@code target} and {@code from} is not one of its agents, every agent of that rule that {@code from} may
     * invoke, in rule order (the engine then forks to all of them at once, and {@code from} resumes with their
     * aggregate); otherwise just {@code target}.
     */
    public List<String> dispatchGroup(String from, String target) {
        List<String> group = dispatchGroups.get(target);
        if (group == null || group.contains(from)) {
            return List.of(target);
        }
        List<String> reachable =
                group.stream().filter(agent -> canInvoke(from, agent)).toList();
        return reachable.size() < 2 || !reachable.contains(target) ? List.of(target) : reachable;
    }

    /**
     * Whether {@code from} and {@code to} are symmetric peers ({@code from <|> to}): they may hand work to each
     * other, one at a time, but {@code from} may not include {@code to} in a fork.
     */
    public boolean isSymmetricPeer(String from, String to) {
        return symmetricLinks.contains(from + "\n" + to);
    }

    private static Map<String, List<String>> dispatchGroups(List<Rule> rules) {
        Map<String, List<String>> result = new HashMap<>();
        for (Rule rule : rules) {
            if (rule instanceof Rule.Parallel(List<String> agents)) {
                agents.forEach(agent -> result.putIfAbsent(agent, agents));
            }
        }
        return Map.copyOf(result);
    }

    private static Set<String> symmetricLinks(List<Edge> edges) {
        Set<String> result = new HashSet<>();
        edges.stream()
                .filter(edge -> edge.kind() == EdgeKind.INVOKE && "symmetric".equals(edge.pattern()))
                .forEach(edge -> result.add(edge.source() + "\n" + edge.target()));
        return Set.copyOf(result);
    }

    private static Map<String, List<Edge>> outgoingEdges(List<Node> nodes, List<Edge> edges) {
        Map<String, List<Edge>> result = new HashMap<>();
        for (Edge edge : edges) {
            if (edge.kind() == EdgeKind.INVOKE) {
                result.computeIfAbsent(edge.source(), name -> new ArrayList<>()).add(edge);
            }
        }
        result.replaceAll((name, list) -> List.copyOf(list));
        return Map.copyOf(result);
    }

    private static Map<String, List<String>> targets(Map<String, List<Edge>> outgoing) {
        Map<String, List<String>> result = new HashMap<>();
        outgoing.forEach((name, list) ->
                result.put(name, list.stream().map(Edge::target).distinct().toList()));
        return Map.copyOf(result);
    }

    private static Map<String, String> errorTargets(List<Edge> edges) {
        Map<String, String> result = new HashMap<>();
        edges.stream().filter(Edge::isError).forEach(edge -> result.putIfAbsent(edge.source(), edge.target()));
        return Map.copyOf(result);
    }

    private static List<String> exitAgents(List<Edge> edges) {
        return edges.stream()
                .filter(edge -> edge.kind() == EdgeKind.INVOKE && edge.target().equals(Node.END))
                .map(Edge::source)
                .filter(name -> Node.kindOf(name) == NodeKind.AGENT)
                .distinct()
                .toList();
    }

    private List<Set<String>> cycles() {
        List<Set<String>> result = new ArrayList<>();
        for (List<Integer> cycle : graph.cycles()) {
            Set<String> members = new LinkedHashSet<>();
            cycle.forEach(i -> members.add(graph.name(i)));
            result.add(Collections.unmodifiableSet(members));
        }
        return List.copyOf(result);
    }

    private static Map<String, Integer> maxTurnsRules(List<Rule> rules) {
        Map<String, Integer> result = new HashMap<>();
        for (Rule rule : rules) {
            if (rule instanceof Rule.MaxTurns(String agent, int turns)) {
                result.merge(agent, turns, Math::min);
            }
        }
        return Map.copyOf(result);
    }

    private static Map<String, Integer> maxTurnsEdges(List<Edge> edges) {
        Map<String, Integer> result = new LinkedHashMap<>();
        for (Edge edge : edges) {
            if (edge.metadata().get(Edge.MAX_TURNS) instanceof Integer turns) {
                result.putIfAbsent(edge.source() + "\n" + edge.target(), turns);
            }
        }
        return Map.copyOf(result);
    }
}
