package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.topology.TopologyAnalysis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The two topology rules that shape a dispatch (SPEC §2.2): a {@code parallel(A, B, C)} rule widens a hand-off to
 * one of them into a fork to all of them ({@link TopologyAnalysis#dispatchGroup(String, String)}), and
 * {@code A <|> B} symmetric peers never fork to each other ({@link TopologyAnalysis#isSymmetricPeer(String,
 * String)}). Pure functions of the analysis, applied to a step's decision before it is validated.
 */
final class DispatchRules {
    private DispatchRules() {}

    /** The decision with {@code parallel} groups completed: a hand-off into a group becomes a fork to the group. */
    static AgentResponse widen(TopologyAnalysis analysis, String node, AgentResponse response) {
        return switch (response) {
            case AgentResponse.Invoke invoke -> {
                if (!analysis.hasDispatchGroups()) {
                    yield invoke; // the common case: not even a one-agent group is built
                }
                List<String> group = analysis.dispatchGroup(node, invoke.agent());
                yield group.size() < 2
                        ? invoke
                        : AgentResponse.parallel(group.stream()
                                .map(agent -> Invocation.of(agent, invoke.request()))
                                .toList());
            }
            case AgentResponse.Parallel parallel -> widen(analysis, node, parallel);
            default -> response;
        };
    }

    private static AgentResponse widen(TopologyAnalysis analysis, String node, AgentResponse.Parallel parallel) {
        List<Invocation> widened = new ArrayList<>(parallel.invocations());
        Set<String> present = new HashSet<>();
        widened.forEach(invocation -> present.add(invocation.agent()));
        String expanded = null; // the same agent again adds nothing: its group's members are present already
        for (Invocation invocation : parallel.invocations()) {
            if (invocation.agent().equals(expanded)) {
                continue;
            }
            expanded = invocation.agent();
            for (String member : analysis.dispatchGroup(node, invocation.agent())) {
                if (present.add(member)) {
                    widened.add(Invocation.of(member, invocation.request()));
                }
            }
        }
        return widened.size() == parallel.invocations().size() ? parallel : AgentResponse.parallel(widened);
    }

    /**
     * The problem with a fork from {@code node} to {@code invocations}, else null: a symmetric peer among them, the
     * user, or the first target {@code checkTarget} refuses. An agent invoked again right after itself is not checked
     * again (the same check, the same answer: a fork of 1,000 to one agent checks it once).
     */
    static @Nullable String checkFork(
            TopologyAnalysis analysis,
            String node,
            List<Invocation> invocations,
            Function<String, @Nullable String> checkTarget) {
        String symmetric = symmetricFork(analysis, node, invocations);
        if (symmetric != null) {
            return symmetric;
        }
        String checked = null;
        for (Invocation invocation : invocations) {
            String agent = invocation.agent();
            if (agent.equals(checked)) {
                continue;
            }
            checked = agent;
            if (agent.equals(Plan.USER)) {
                return "agent '" + node + "' cannot ask the user inside a parallel invoke; use askUser";
            }
            String problem = checkTarget.apply(agent);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** The problem when a fork from {@code node} includes one of its symmetric peers, else null. */
    private static @Nullable String symmetricFork(
            TopologyAnalysis analysis, String node, List<Invocation> invocations) {
        String checked = null;
        for (Invocation invocation : invocations) {
            if (invocation.agent().equals(checked)) {
                continue;
            }
            checked = invocation.agent();
            if (analysis.isSymmetricPeer(node, invocation.agent())) {
                return "agent '" + node + "' cannot fork to '" + invocation.agent() + "': they are symmetric peers ('"
                        + node + " <|> " + invocation.agent() + "'), who hand work to each other one at a time; "
                        + "invoke '" + invocation.agent() + "' alone";
            }
        }
        return null;
    }
}
