package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.topology.TopologyAnalysis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        for (Invocation invocation : parallel.invocations()) {
            for (String member : analysis.dispatchGroup(node, invocation.agent())) {
                if (present.add(member)) {
                    widened.add(Invocation.of(member, invocation.request()));
                }
            }
        }
        return widened.size() == parallel.invocations().size() ? parallel : AgentResponse.parallel(widened);
    }

    /** The problem when a fork from {@code node} includes one of its symmetric peers, else null. */
    static @Nullable String symmetricFork(TopologyAnalysis analysis, String node, List<Invocation> invocations) {
        for (Invocation invocation : invocations) {
            if (analysis.isSymmetricPeer(node, invocation.agent())) {
                return "agent '" + node + "' cannot fork to '" + invocation.agent() + "': they are symmetric peers ('"
                        + node + " <|> " + invocation.agent() + "'), who hand work to each other one at a time; "
                        + "invoke '" + invocation.agent() + "' alone";
            }
        }
        return null;
    }
}
