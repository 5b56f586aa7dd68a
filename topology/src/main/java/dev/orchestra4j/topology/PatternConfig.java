package dev.orchestra4j.topology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Ready-made topologies. Each factory returns a valid topology with {@code Start} and {@code End} edges, records
 * its name in the metadata key {@code pattern}, and documents the exact graph. "{@code A <-> B}" below means the
 * two edges {@code A -> B} and {@code B -> A}; a node that hears back from everyone it dispatches to is never a
 * rendezvous, a node fed by two or more one-way edges is. Arguments are checked eagerly: blank, reserved or
 * repeated agent names throw {@link IllegalArgumentException}.
 */
public final class PatternConfig {
    private static final int MAX_ROUNDS = 1 << 30;

    private PatternConfig() {}

    /**
     * A hub that delegates to spokes and hears back: {@code Start -> hub}, {@code hub <-> spoke} for each spoke,
     * {@code hub -> End}. No rendezvous. With {@code parallelSpokes} and two or more spokes, a
     * {@code parallel(spokes...)} rule: the hub's hand-off to any spoke dispatches all spokes as one fork, and the
     * hub resumes with their aggregate.
     */
    public static Topology hubAndSpoke(String hub, List<String> spokes, boolean parallelSpokes) {
        Topology.Builder builder = start("hub_and_spoke", hub, agents(hub, spokes));
        spokes.forEach(spoke -> builder.edge(hub + " <-> " + spoke));
        parallelHint(builder, spokes, parallelSpokes);
        return builder.edge(hub + " -> End").build();
    }

    /**
     * Stages in order. Inside a sequential stage its agents form a chain; a parallel stage's agents all run.
     * Every exit of a stage (the last agent, or every agent of a parallel stage) has an edge to every entry of
     * the next (the first agent, or every agent of a parallel stage); {@code Start} feeds the first stage's
     * entries and the last stage's exits go to {@code End}. So an agent fed by a parallel stage of two or more is
     * a rendezvous that aggregates their results. Each parallel stage of two or more adds a {@code parallel} rule:
     * a hand-off from the previous stage to one of its agents dispatches all of them.
     */
    public static Topology pipeline(List<Stage> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("pipeline needs at least one stage");
        }
        List<String> all =
                stages.stream().flatMap(stage -> stage.agents().stream()).toList();
        distinct(all);
        Topology.Builder builder = pattern("pipeline", all);
        List<String> previous = List.of(Node.START);
        for (Stage stage : stages) {
            connect(builder, previous, stage.entries());
            for (int i = 0; i + 1 < stage.agents().size() && !stage.parallel(); i++) {
                builder.edge(stage.agents().get(i) + " -> " + stage.agents().get(i + 1));
            }
            parallelHint(builder, stage.agents(), stage.parallel());
            previous = stage.exits();
        }
        connect(builder, previous, List.of(Node.END));
        return builder.build();
    }

    /**
     * Peers that may all talk to each other: {@code Start -> first agent}, {@code a <-> b} for every pair, and
     * {@code a -> End} for every agent (any peer may deliver the answer). No rendezvous.
     */
    public static Topology mesh(List<String> agents) {
        Topology.Builder builder = start("mesh", first(agents), agents);
        for (int i = 0; i < agents.size(); i++) {
            for (int j = i + 1; j < agents.size(); j++) {
                builder.edge(agents.get(i) + " <-> " + agents.get(j));
            }
        }
        agents.forEach(agent -> builder.edge(agent + " -> End"));
        return builder.build();
    }

    /**
     * A management tree given as {@code parent -> children}: {@code Start -> root} (the one parent that is no
     * one's child), {@code parent <-> child} for every pair, {@code root -> End}. Managers hear back from their
     * reports, so there is no rendezvous. Every node must have at most one parent.
     */
    public static Topology hierarchical(Map<String, List<String>> tree) {
        String root = root(tree);
        List<String> all = new ArrayList<>(List.of(root));
        tree.values().forEach(all::addAll);
        distinct(all);
        Topology.Builder builder = start("hierarchical", root, all);
        treeEdges(builder, tree, root);
        return builder.edge(root + " -> End").build();
    }

    /**
     * A center and its points: {@code Start -> center}, {@code center -> End}, and either {@code center <-> point}
     * ({@code bidirectional}) or {@code center -> point} plus {@code point -> End} (a point finishes itself; inside a
     * fork of the center, finishing returns its result to the center). No rendezvous.
     */
    public static Topology star(String center, List<String> points, boolean bidirectional) {
        Topology.Builder builder = start("star", center, agents(center, points));
        for (String point : points) {
            builder.edge(center + (bidirectional ? " <-> " : " -> ") + point);
            if (!bidirectional) {
                builder.edge(point + " -> End");
            }
        }
        return builder.edge(center + " -> End").build();
    }

    /**
     * Agents passing work round a circle: {@code Start -> first}, {@code a(i) -> a(i+1)} closing back to the
     * first agent (or {@code <->} when {@code bidirectional}), and {@code last -> End}. With one-way links the
     * first agent has two one-way inputs ({@code Start} and the last agent), so its convergence is set to
     * {@code DISABLED}: each lap passes through, nothing waits. A single agent has no ring edge.
     */
    public static Topology ring(List<String> agents, boolean bidirectional) {
        String first = first(agents);
        Topology.Builder builder = start("ring", first, agents);
        int size = agents.size();
        for (int i = 0; size > 1 && i < (bidirectional && size == 2 ? 1 : size); i++) {
            builder.edge(agents.get(i) + (bidirectional ? " <-> " : " -> ") + agents.get((i + 1) % size));
        }
        if (!bidirectional && size > 2) {
            builder.convergence(first, ConvergenceMode.DISABLED);
        }
        return builder.edge(agents.get(size - 1) + " -> End").build();
    }

    /**
     * One agent sends the same work to all receivers: {@code Start -> broadcaster}, {@code broadcaster -> End},
     * {@code broadcaster -> receiver} for each, and either {@code receiver -> broadcaster} ({@code allowReplies})
     * or {@code receiver -> End} (inside the broadcaster's fork a finish returns to it anyway). With two or more
     * receivers, a {@code parallel(receivers...)} rule, so a hand-off to any receiver reaches all of them as one
     * fork. No rendezvous.
     */
    public static Topology broadcast(String broadcaster, List<String> receivers, boolean allowReplies) {
        Topology.Builder builder = start("broadcast", broadcaster, agents(broadcaster, receivers));
        for (String receiver : receivers) {
            builder.edge(broadcaster + (allowReplies ? " <-> " : " -> ") + receiver);
            if (!allowReplies) {
                builder.edge(receiver + " -> End");
            }
        }
        parallelHint(builder, receivers, true);
        return builder.edge(broadcaster + " -> End").build();
    }

    /**
     * Write, critique, revise: {@code Start -> writer}, {@code writer <-> critic}, {@code writer -> End}. The
     * writer decides when the draft is done. No rendezvous.
     */
    public static Topology criticRevise(String writer, String critic) {
        Topology.Builder builder = start("critic_revise", writer, List.of(writer, critic));
        return builder.edge(writer + " <-> " + critic).edge(writer + " -> End").build();
    }

    /**
     * Fan out to experts, fan in to a synthesizer: {@code Start -> coordinator}, {@code coordinator -> expert} and
     * {@code expert -> synthesizer} for each expert, {@code synthesizer -> End}. With two or more experts the
     * synthesizer is a rendezvous that receives all their answers at once, and a {@code parallel(experts...)}
     * rule is added (the coordinator's hand-off to one expert dispatches every expert).
     */
    public static Topology parallelExperts(String coordinator, List<String> experts, String synthesizer) {
        List<String> all = new ArrayList<>(List.of(coordinator));
        all.addAll(experts);
        all.add(synthesizer);
        Topology.Builder builder = start("parallel_experts", coordinator, all);
        experts.forEach(expert -> builder.edge(coordinator + " -> " + expert).edge(expert + " -> " + synthesizer));
        parallelHint(builder, experts, true);
        return builder.edge(synthesizer + " -> End").build();
    }

    /** Steps in a fixed order: {@code Start -> s1 -> s2 -> ... -> sN -> End}. No rendezvous. */
    public static Topology chainOfThought(String... steps) {
        List<String> all = List.of(steps);
        Topology.Builder builder = start("chain_of_thought", first(all), all);
        for (int i = 0; i + 1 < steps.length; i++) {
            builder.edge(steps[i] + " -> " + steps[i + 1]);
        }
        return builder.edge(steps[steps.length - 1] + " -> End").build();
    }

    /**
     * A worker and a reviewer in ping-pong: {@code Start -> worker}, {@code worker <~> reviewer},
     * {@code reviewer -> End} (the reviewer accepts). {@code maxIterations} is the number of review rounds: the
     * worker may submit at most that many drafts, every draft is reviewed, and after the last review the reviewer
     * can only accept. A turn is one traversal of either edge, so the edges carry
     * {@code max_turns = 2 * maxIterations - 1} (n drafts sent to review, n - 1 sent back). No rendezvous.
     */
    public static Topology iterativeRefinement(String worker, String reviewer, int maxIterations) {
        if (maxIterations <= 0 || maxIterations > MAX_ROUNDS) {
            throw new IllegalArgumentException(
                    "maxIterations must be between 1 and " + MAX_ROUNDS + ", was " + maxIterations);
        }
        Topology.Builder builder = start("iterative_refinement", worker, List.of(worker, reviewer));
        Map<String, Object> metadata = Map.of(Edge.PATTERN, "alternating", Edge.MAX_TURNS, 2 * maxIterations - 1);
        builder.edge(new Edge(worker, reviewer, EdgeKind.INVOKE, Optional.empty(), metadata));
        builder.edge(new Edge(reviewer, worker, EdgeKind.INVOKE, Optional.empty(), metadata));
        return builder.edge(reviewer + " -> End").build();
    }

    private static Topology.Builder start(String pattern, String entry, List<String> agents) {
        distinct(agents);
        return pattern(pattern, agents).edge("Start -> " + entry);
    }

    private static Topology.Builder pattern(String pattern, List<String> agents) {
        Topology.Builder builder =
                Topology.builder().metadata("pattern", pattern).node(Node.START);
        agents.forEach(builder::node);
        return builder;
    }

    private static void connect(Topology.Builder builder, List<String> from, List<String> to) {
        from.forEach(source -> to.forEach(target -> builder.edge(source + " -> " + target)));
    }

    private static void parallelHint(Topology.Builder builder, List<String> agents, boolean parallel) {
        if (parallel && agents.size() >= 2) {
            builder.rule(new Rule.Parallel(agents));
        }
    }

    private static List<String> agents(String head, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(rest);
        return all;
    }

    private static String first(List<String> agents) {
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("at least one agent is required");
        }
        return agents.get(0);
    }

    private static void distinct(List<String> agents) {
        Set<String> seen = new HashSet<>();
        for (String agent : agents) {
            Node node = Node.of(agent);
            if (!node.isAgent()) {
                throw new IllegalArgumentException("'" + agent + "' is reserved and cannot be an agent");
            }
            if (!seen.add(agent)) {
                throw new IllegalArgumentException("agent '" + agent + "' appears more than once");
            }
        }
    }

    private static String root(Map<String, List<String>> tree) {
        Set<String> children = new HashSet<>();
        tree.values().forEach(children::addAll);
        Set<String> roots = new LinkedHashSet<>(tree.keySet());
        roots.removeAll(children);
        if (roots.size() != 1) {
            throw new IllegalArgumentException(
                    "hierarchical needs exactly one root (a parent that is no one's " + "child), found " + roots);
        }
        return roots.iterator().next();
    }

    private static void treeEdges(Topology.Builder builder, Map<String, List<String>> tree, String parent) {
        for (String child : tree.getOrDefault(parent, List.of())) {
            builder.edge(parent + " <-> " + child);
            treeEdges(builder, tree, child);
        }
    }
}
