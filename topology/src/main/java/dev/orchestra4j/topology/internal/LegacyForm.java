package dev.orchestra4j.topology.internal;

import static dev.orchestra4j.topology.internal.Names.quote;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The legacy translation (SPEC §2.2) for topologies written without a {@code Start} node. Entries: the
 * {@code entry_point}, plus every {@code X} of a {@code User -> X} edge (the edge is dropped); failing both, the
 * single agent without incoming edges. Exits, when there is no {@code End} node or {@code exit_points} are given:
 * the exit points, or else every leaf (an agent whose {@code INVOKE} edges lead only to {@code User}, or nowhere;
 * an {@code [on error]} edge does not stop an agent from being a leaf, since it is only taken on failure). When the
 * user starts the conversation ({@code User -> X}), every agent with an edge back to {@code User} is an exit too: it
 * may answer the user who asked (and may still ask them questions).
 * {@code X -> User} edges stay: they let X ask the user.
 *
 * @param entryPoint the {@code entry_point} key
 * @param exitPoints the {@code exit_points} key
 */
record LegacyForm(Optional<String> entryPoint, Optional<List<String>> exitPoints) {

    /** Returns the edges, translated when the topology has no Start; problems are added to {@code problems}. */
    List<Edge> translate(List<Node> nodes, List<Edge> edges, List<String> problems) {
        Set<String> names = names(nodes, edges);
        if (names.contains(Node.START)) {
            entryPoint.ifPresent(entry -> problems.add("'entry_point' is only for topologies without a 'Start' "
                    + "node; this one has 'Start', so write 'Start -> " + entry + "' instead"));
            exitPoints.ifPresent(exits -> problems.add("'exit_points' is only for topologies without a 'Start' "
                    + "node; write 'X -> End' edges instead"));
            return edges;
        }
        List<Edge> kept =
                edges.stream().filter(edge -> !edge.source().equals(Node.USER)).toList();
        List<Edge> result = new ArrayList<>();
        entries(names, edges, kept, problems).forEach(entry -> result.add(Edge.of(Node.START, entry)));
        result.addAll(kept);
        if (!names.contains(Node.END) || exitPoints.isPresent()) {
            exits(names, edges, kept, problems).forEach(exit -> result.add(Edge.of(exit, Node.END)));
        }
        return result;
    }

    private Set<String> entries(Set<String> names, List<Edge> edges, List<Edge> kept, List<String> problems) {
        Set<String> entries = new LinkedHashSet<>();
        entryPoint.ifPresent(entry -> {
            if (known(entry, names, "entry_point", problems)) {
                entries.add(entry);
            }
        });
        edges.stream().filter(edge -> edge.source().equals(Node.USER)).forEach(edge -> {
            if (Node.kindOf(edge.target()) == NodeKind.AGENT) {
                entries.add(edge.target());
            } else {
                problems.add("flow " + quote(edge.notation()) + " starts no agent: 'User -> X' makes X the entry "
                        + "agent, so X must be an agent");
            }
        });
        if (!entries.isEmpty() || entryPoint.isPresent()) {
            return entries;
        }
        List<String> roots = agents(names)
                .filter(name -> kept.stream().noneMatch(edge -> edge.target().equals(name)))
                .toList();
        if (agents(names).findAny().isEmpty()) {
            problems.add("the topology has no agents");
        } else if (roots.isEmpty()) {
            problems.add("cannot find the entry agent: every agent has an incoming edge; set 'entry_point'");
        } else if (roots.size() > 1) {
            problems.add("cannot choose the entry agent among "
                    + roots.stream().map(Names::quote).toList() + " (none has incoming edges); set 'entry_point'");
        } else {
            entries.add(roots.get(0));
        }
        return entries;
    }

    private List<String> exits(Set<String> names, List<Edge> edges, List<Edge> kept, List<String> problems) {
        if (exitPoints.isPresent()) {
            return exitPoints.get().stream()
                    .filter(exit -> known(exit, names, "exit_points", problems))
                    .filter(exit -> kept.stream()
                            .noneMatch(
                                    e -> e.source().equals(exit) && e.target().equals(Node.END)))
                    .distinct()
                    .toList();
        }
        boolean userStarts = edges.stream().anyMatch(edge -> edge.source().equals(Node.USER));
        List<String> leaves = agents(names)
                .filter(name -> userStarts && answersUser(name, kept)
                        || kept.stream()
                                .noneMatch(edge -> edge.source().equals(name)
                                        && !edge.isError()
                                        && !edge.target().equals(Node.USER)))
                .toList();
        if (leaves.isEmpty() && agents(names).findAny().isPresent()) {
            problems.add("cannot find the exit agents: every agent has an outgoing edge; set 'exit_points'");
        }
        return leaves;
    }

    private static boolean answersUser(String name, List<Edge> kept) {
        return kept.stream()
                .anyMatch(edge -> edge.source().equals(name)
                        && !edge.isError()
                        && edge.target().equals(Node.USER));
    }

    private static boolean known(String name, Set<String> names, String key, List<String> problems) {
        if (Node.kindOf(name) != NodeKind.AGENT || !names.contains(name)) {
            problems.add(quote(key) + " names " + quote(name) + ", which is not an agent of this topology");
            return false;
        }
        return true;
    }

    private static Stream<String> agents(Set<String> names) {
        return names.stream().filter(name -> Node.kindOf(name) == NodeKind.AGENT);
    }

    private static Set<String> names(List<Node> nodes, List<Edge> edges) {
        Set<String> names = new LinkedHashSet<>();
        nodes.forEach(node -> names.add(node.name()));
        edges.forEach(edge -> {
            names.add(edge.source());
            names.add(edge.target());
        });
        return names;
    }
}
