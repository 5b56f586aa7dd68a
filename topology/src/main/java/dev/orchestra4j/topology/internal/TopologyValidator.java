package dev.orchestra4j.topology.internal;

import static dev.orchestra4j.topology.internal.Names.quote;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import dev.orchestra4j.topology.Rule;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a topology before anything runs (SPEC §2.4) and returns every problem found, in a stable order: the
 * Start/End/User invariants, edges, reachability from Start, the way out to End or User (cycles without an exit
 * reported once per cycle), then rules.
 */
public final class TopologyValidator {
    private final List<Node> nodes;
    private final List<Edge> edges;
    private final Map<String, Node> byName = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private TopologyValidator(List<Node> nodes, List<Edge> edges) {
        this.nodes = nodes;
        this.edges = edges;
        nodes.forEach(node -> byName.put(node.name(), node));
    }

    /** Every problem of the topology; empty when it is valid. */
    public static List<String> problems(List<Node> nodes, List<Edge> edges, List<Rule> rules) {
        TopologyValidator validator = new TopologyValidator(nodes, edges);
        validator.checkReservedNodes();
        validator.checkEdges();
        validator.checkPaths();
        RuleChecks.check(rules, validator.byName, validator.problems);
        return List.copyOf(validator.problems);
    }

    private void checkReservedNodes() {
        if (!byName.containsKey(Node.START)) {
            problems.add("no 'Start' node: add an edge such as 'Start -> <first agent>'");
        } else if (edges.stream().noneMatch(e -> e.source().equals(Node.START) && e.kind() == EdgeKind.INVOKE)) {
            problems.add("'Start' has no outgoing edge: add an edge such as 'Start -> <first agent>'");
        }
        for (Edge edge : edges) {
            String shown = quote(edge.notation());
            switch (Node.kindOf(edge.source())) {
                case START -> {
                    if (edge.isError()) {
                        problems.add("'Start' cannot have an error edge, found " + shown);
                    }
                    checkEntry(edge, shown);
                }
                case END -> problems.add("'End' must not have outgoing edges, found " + shown);
                case USER -> problems.add(userEdge(edge, shown));
                case AGENT -> {}
            }
            if (edge.target().equals(Node.START)) {
                problems.add("'Start' must not have incoming edges, found " + shown);
            }
        }
    }

    /** An edge out of Start must lead to an agent: the engine starts one branch per target of Start. */
    private void checkEntry(Edge edge, String shown) {
        switch (Node.kindOf(edge.target())) {
            case END -> problems.add(shown + " runs no agent: Start must lead to agents (End is where they finish)");
            case USER ->
                problems.add(shown + " runs no agent: Start must lead to agents (an agent asks the user with an "
                        + "edge such as 'Agent -> User')");
            case START, AGENT -> {} // an edge into Start is reported on its own
        }
    }

    /**
     * The problem of an edge out of User, with a hint that leads to a valid topology: to an agent, make it an entry
     * agent; to End, give the agents that ask the user their own edge to End.
     */
    private String userEdge(Edge edge, String shown) {
        String problem = "'User' must not have outgoing edges, found " + shown
                + ": the user's answer always returns to the agent that asked";
        return switch (Node.kindOf(edge.target())) {
            case AGENT ->
                problem + "; use 'Start -> " + edge.target() + "' to make " + quote(edge.target()) + " an entry agent";
            case END -> problem + endHint(shown);
            case START, USER -> problem;
        };
    }

    private String endHint(String shown) {
        Set<String> askers = new LinkedHashSet<>();
        Set<String> finishing = new HashSet<>();
        for (Edge edge : edges) {
            if (Node.kindOf(edge.source()) == NodeKind.AGENT && !edge.isError()) {
                if (edge.target().equals(Node.USER)) {
                    askers.add(edge.source());
                } else if (edge.target().equals(Node.END)) {
                    finishing.add(edge.source());
                }
            }
        }
        if (askers.isEmpty()) {
            return "; to finish after the user answers, give the agent that asks the user (its edge "
                    + "'<agent> -> User') an edge '<agent> -> End'";
        }
        List<String> missing = askers.stream()
                .filter(asker -> !finishing.contains(asker))
                .map(asker -> quote(asker + " -> " + Node.END))
                .toList();
        if (missing.isEmpty()) {
            return "; the agents that ask the user already have their edge to End, so remove " + shown;
        }
        return "; to finish after the user answers, give the agent that asked its own edge to End: "
                + String.join(", ", missing);
    }

    private void checkEdges() {
        Set<String> seen = new HashSet<>();
        Set<String> errorSources = new HashSet<>();
        for (Edge edge : edges) {
            for (String end : List.of(edge.source(), edge.target())) {
                if (!byName.containsKey(end)) {
                    problems.add("edge " + quote(edge.notation()) + " references unknown node " + quote(end));
                }
            }
            if (!seen.add(edge.notation())) {
                problems.add("duplicate edge " + quote(edge.notation()));
            }
            if (edge.isError() && !errorSources.add(edge.source())) {
                problems.add(quote(edge.source()) + " has more than one error edge; found another in "
                        + quote(edge.notation()));
            }
        }
    }

    private void checkPaths() {
        GraphIndex graph = GraphIndex.of(nodes, edges);
        checkReachableFromStart(graph);
        BitSet finishing = finishing(graph);
        Set<Integer> inTrappedCycles = new HashSet<>();
        for (List<Integer> cycle : graph.cycles()) {
            if (cycle.stream().noneMatch(finishing::get)) {
                inTrappedCycles.addAll(cycle);
                List<String> members =
                        cycle.stream().map(graph::name).map(Names::quote).toList();
                problems.add("cycle " + members + " has no exit: no edge leaves it towards a node that reaches "
                        + "'End' or 'User'");
            }
        }
        for (int i = 0; i < graph.size(); i++) {
            if (byName.get(graph.name(i)).isAgent() && !finishing.get(i) && !inTrappedCycles.contains(i)) {
                problems.add(quote(graph.name(i)) + " cannot reach 'End' or 'User'");
            }
        }
    }

    private void checkReachableFromStart(GraphIndex graph) {
        int start = graph.indexOf(Node.START);
        if (start < 0) {
            return;
        }
        BitSet reachable = graph.reachableOverAllEdges(start);
        for (Node node : nodes) {
            if (node.isAgent() && !reachable.get(graph.indexOf(node.name()))) {
                problems.add(quote(node.name()) + " is not reachable from 'Start'");
            }
        }
    }

    private static BitSet finishing(GraphIndex graph) {
        BitSet finishing = new BitSet(graph.size());
        int end = graph.indexOf(Node.END);
        int user = graph.indexOf(Node.USER);
        for (int i = 0; i < graph.size(); i++) {
            boolean terminal = i == end || i == user;
            if (terminal || (end >= 0 && graph.canReach(i, end)) || (user >= 0 && graph.canReach(i, user))) {
                finishing.set(i);
            }
        }
        return finishing;
    }
}
