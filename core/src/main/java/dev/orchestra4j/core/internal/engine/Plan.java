package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.Topology;
import dev.orchestra4j.topology.TopologyAnalysis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What the engine needs to know about each node, computed once per session from the topology and registry so that
 * no step looks anything up twice.
 */
final class Plan {

    static final String START = "Start";
    static final String END = "End";
    static final String USER = "User";

    /**
     * Per-node facts. {@code shared} is null for agents registered with a factory (an instance per branch); {@code
     * limits} are the node's metadata overrides ({@code step_timeout}, {@code max_retries}, {@code max_concurrency}).
     */
    record NodeInfo(
            String name,
            List<String> peers,
            boolean canFinish,
            boolean canAskUser,
            boolean rendezvous,
            Set<String> reachableRendezvous,
            Set<String> targets,
            Map<String, Integer> turnLimits,
            ConvergencePolicy policy,
            @Nullable Agent shared,
            NodeLimits limits) {}

    final Topology topology;
    final TopologyAnalysis analysis;
    private final Map<String, NodeInfo> nodes = new HashMap<>();
    /** A one-element list per node, End and User: every trace entry of a hand-off there shares it. */
    private final Map<String, List<String>> alone = new HashMap<>();
    /** Whether any node is a rendezvous or can reach one: else no branch is ever a rendezvous candidate. */
    final boolean rendezvous;

    Plan(Topology topology, AgentRegistry registry, ExecutionConfig config) {
        this.topology = topology;
        this.analysis = config.dynamicConvergenceEnabled()
                ? topology.analysis()
                : topology.analysis().explicitConvergenceOnly();
        List<String> missing = new ArrayList<>();
        for (Node node : topology.nodes()) {
            if (!node.isAgent()) {
                continue;
            }
            if (!registry.contains(node.name())) {
                missing.add(node.name());
                continue;
            }
            nodes.put(node.name(), info(node, registry, config));
        }
        if (!missing.isEmpty()) {
            throw new AgentException("no agent registered for topology node(s) " + quoted(missing)
                    + "; registered agents are " + quoted(registry.names()));
        }
        for (Node node : topology.nodes()) {
            alone.put(node.name(), List.of(node.name()));
        }
        alone.put(END, List.of(END));
        alone.put(USER, List.of(USER));
        this.rendezvous = nodes.values().stream()
                .anyMatch(
                        info -> info.rendezvous() || !info.reachableRendezvous().isEmpty());
    }

    /** The list of {@code target} alone (shared for the topology's nodes: a trace entry keeps it for the run). */
    List<String> alone(String target) {
        List<String> list = alone.get(target);
        return list != null ? list : List.of(target);
    }

    private NodeInfo info(Node node, AgentRegistry registry, ExecutionConfig config) {
        String name = node.name();
        // List.copyOf: a Stream.toList() list allows nulls, so every AgentRequest would copy it again
        List<String> peers = List.copyOf(analysis.successors(name).stream()
                .filter(s -> !s.equals(END) && !s.equals(USER))
                .toList());
        Agent shared = registry.isPerBranch(name) ? null : registry.find(name).orElseThrow();
        return new NodeInfo(
                name,
                peers,
                analysis.canFinish(name),
                analysis.canAskUser(name),
                analysis.isRendezvous(name),
                analysis.reachableRendezvous(name),
                java.util.Set.copyOf(analysis.successors(name)),
                turnLimits(name),
                policyOf(node, config),
                shared,
                NodeLimits.of(node));
    }

    /** The {@code max_turns} limit of each successor edge that has one (alternating edges, rules). */
    private Map<String, Integer> turnLimits(String name) {
        Map<String, Integer> limits = new HashMap<>();
        for (String target : analysis.successors(name)) {
            analysis.maxTurns(name, target).ifPresent(limit -> limits.put(target, limit));
        }
        return Map.copyOf(limits);
    }

    private static ConvergencePolicy policyOf(Node node, ExecutionConfig config) {
        Object value = node.metadata().get("convergence_policy");
        if (value == null) {
            return config.convergencePolicy();
        }
        if (value instanceof ConvergencePolicy policy) {
            return policy;
        }
        try {
            return ConvergencePolicy.named(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node '" + node.name() + "': " + e.getMessage(), e);
        }
    }

    NodeInfo node(String name) {
        NodeInfo info = nodes.get(name);
        if (info == null) {
            throw new IllegalStateException("'" + name + "' is not an agent node of this topology");
        }
        return info;
    }

    /**
     * Whether {@code registry} still maps every agent node to what this plan holds (the same shared instance, or a
     * factory where the plan has none), so that the plan may serve another session ({@link PlanCache}).
     */
    boolean agentsStillRegisteredIn(AgentRegistry registry) {
        for (NodeInfo info : nodes.values()) {
            Agent shared = info.shared();
            if (registry.isPerBranch(info.name()) != (shared == null)) {
                return false;
            }
            if (shared != null && registry.find(info.name()).orElse(null) != shared) {
                return false;
            }
        }
        return true;
    }

    boolean isAgent(String name) {
        return nodes.containsKey(name);
    }

    private static String quoted(java.util.Collection<String> names) {
        return new TreeSet<>(names).stream().map(n -> "'" + n + "'").toList().toString();
    }
}
