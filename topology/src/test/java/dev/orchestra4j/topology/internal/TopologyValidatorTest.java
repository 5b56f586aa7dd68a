package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.Topology;
import dev.orchestra4j.topology.TopologyException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TopologyValidatorTest {

    private static List<String> problems(Topology.Builder builder) {
        return catchThrowableOfType(TopologyException.class, builder::build).problems();
    }

    private static List<String> problems(String... edges) {
        return problems(Topology.builder().edges(edges));
    }

    @Test
    void validate_cycleWithExit_isValid() {
        assertThatCode(() -> Topology.builder()
                        .edges("Start -> A", "A -> B", "B -> C", "C -> A", "C -> B", "C -> End")
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void validate_cycleWithoutExit_reportedOnceForTheCycle() {
        assertThat(problems("Start -> A", "A -> B", "B <-> C", "A -> End"))
                .containsExactly("cycle ['B', 'C'] has no exit: no edge leaves it towards a node that reaches 'End' "
                        + "or 'User'");
    }

    @Test
    void validate_cycleExitingToUser_isValid() {
        assertThatCode(() -> Topology.builder()
                        .edges("Start -> A", "A <-> B", "B -> User")
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void validate_cycleExitingOnlyThroughErrorEdge_isTrapped() {
        assertThat(problems("Start -> A", "A <-> B", "A -> F [on error]", "F -> End"))
                .singleElement()
                .asString()
                .startsWith("cycle ['A', 'B'] has no exit");
    }

    @Test
    void validate_noStart_reported() {
        assertThat(problems("A -> End"))
                .containsExactly("no 'Start' node: add an edge such as 'Start -> <first agent>'");
    }

    @Test
    void validate_startWithoutOutgoingEdge_reported() {
        assertThat(problems(Topology.builder().node("Start").edge("A -> End")))
                .contains("'Start' has no outgoing edge: add an edge such as 'Start -> <first agent>'");
    }

    @Test
    void validate_edgeIntoStart_reported() {
        assertThat(problems("Start -> A", "A -> Start", "A -> End"))
                .containsExactly("'Start' must not have incoming edges, found 'A -> Start'");
    }

    @Test
    void validate_edgeOutOfEnd_reported() {
        assertThat(problems("Start -> A", "A -> End", "End -> A"))
                .containsExactly("'End' must not have outgoing edges, found 'End -> A'");
    }

    @Test
    void validate_edgeOutOfUser_reportedWithHint() {
        assertThat(problems("Start -> A", "A -> End", "A -> User", "User -> A"))
                .singleElement()
                .asString()
                .contains("'User' must not have outgoing edges")
                .contains("'Start -> A'");
    }

    @Test
    void validate_unreachableAgent_reported() {
        assertThat(problems(Topology.builder().edges("Start -> A", "A -> End", "B -> End")))
                .containsExactly("'B' is not reachable from 'Start'");
    }

    @Test
    void validate_declaredNodeWithoutEdges_unreachableAndStuck() {
        assertThat(problems(Topology.builder().node("Lonely").edges("Start -> A", "A -> End")))
                .containsExactly("'Lonely' is not reachable from 'Start'", "'Lonely' cannot reach 'End' or 'User'");
    }

    @Test
    void validate_agentReachedOnlyByErrorEdge_isReachable() {
        assertThatCode(() -> Topology.builder()
                        .edges("Start -> A", "A -> End", "A -> Fixer [on error]", "Fixer -> End")
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void validate_deadEnd_reported() {
        assertThat(problems("Start -> A", "A -> B", "A -> End")).containsExactly("'B' cannot reach 'End' or 'User'");
    }

    @Test
    void validate_duplicateEdge_reported() {
        assertThat(problems("Start -> A", "A -> End", "A -> End")).containsExactly("duplicate edge 'A -> End'");
    }

    @Test
    void validate_twoErrorEdgesFromOneNode_reported() {
        assertThat(problems("Start -> A", "A -> End", "A -> F [on error]", "A -> G [on error]", "F -> End", "G -> End"))
                .containsExactly("'A' has more than one error edge; found another in 'A -> G [on error]'");
    }

    @Test
    void validate_errorEdgeFromStart_reported() {
        assertThat(problems("Start -> A", "A -> End", "Start -> F [on error]", "F -> End"))
                .containsExactly("'Start' cannot have an error edge, found 'Start -> F [on error]'");
    }

    @Test
    void validate_ruleNamingUnknownNode_reported() {
        assertThat(problems(Topology.builder().edges("Start -> A", "A -> End").rule("max_turns(Ghost, 2)")))
                .containsExactly("rule 'max_turns(Ghost, 2)' references unknown node 'Ghost'");
    }

    @Test
    void validate_ruleNamingReservedNode_reported() {
        assertThat(problems(Topology.builder().edges("Start -> A", "A -> End").rule("convergence_point(End)")))
                .containsExactly("rule 'convergence_point(End)' must name an agent, 'End' is END");
    }

    @Test
    void validate_repeatedSingletonRules_reported() {
        assertThat(problems(Topology.builder()
                        .edges("Start -> A", "A -> End")
                        .rule("timeout(5)")
                        .rule("timeout(6)")
                        .rule("max_steps(3)")
                        .rule("max_steps(3)")))
                .containsExactly(
                        "more than one timeout rule; found another in 'timeout(6)'", "duplicate rule 'max_steps(3)'");
    }

    @Test
    void validate_convergencePointOnDisabledNode_reported() {
        assertThat(problems(Topology.builder()
                        .edges("Start -> A", "A -> End")
                        .convergence("A", ConvergenceMode.DISABLED)
                        .rule("convergence_point(A)")))
                .containsExactly("rule 'convergence_point(A)' contradicts convergence DISABLED of 'A'");
    }

    @Test
    void validate_edgeToUnknownNode_reported() {
        List<String> problems = TopologyValidator.problems(
                List.of(Node.of("Start"), Node.of("A"), Node.of("End")),
                List.of(Edge.of("Start", "A"), Edge.of("A", "End"), Edge.of("A", "Ghost")),
                List.of());
        assertThat(problems).containsExactly("edge 'A -> Ghost' references unknown node 'Ghost'");
    }

    @Test
    void validate_severalProblems_allReportedInOneException() {
        TopologyException e = catchThrowableOfType(TopologyException.class, () -> Topology.builder()
                .edges("Start -> A", "A -> Start", "End -> A", "B <-> C", "A -> End")
                .rule("max_agents(3)")
                .rule("parallel(A, Ghost)")
                .build());
        assertThat(e.problems())
                .containsExactly(
                        "'Start' must not have incoming edges, found 'A -> Start'",
                        "'End' must not have outgoing edges, found 'End -> A'",
                        "'B' is not reachable from 'Start'",
                        "'C' is not reachable from 'Start'",
                        "cycle ['B', 'C'] has no exit: no edge leaves it towards a node that reaches 'End' or 'User'",
                        "rule 'parallel(A, Ghost)' references unknown node 'Ghost'");
        assertThat(e.getMessage()).contains("6 problems");
    }

    @Test
    void validate_agentInTwoParallelRules_rejected() {
        assertThatThrownBy(() -> Topology.builder()
                        .edges("Start -> H", "H -> A", "H -> B", "H -> C", "A -> End", "B -> End", "C -> End")
                        .rule("parallel(A, B)")
                        .rule("parallel(B, C)")
                        .build())
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining(
                        "agent 'B' is in more than one parallel rule; found it again in 'parallel(B, C)'");
    }

    @Test
    void validate_startToEnd_rejectedNamingTheEdge() {
        String problem = "'Start -> End' runs no agent: Start must lead to agents (End is where they finish)";
        assertThat(problems("Start -> End")).containsExactly(problem);
        assertThat(problems("Start -> A", "Start -> End", "A -> End")).containsExactly(problem);
        assertThat(problems("Start -> A", "A -> End", "Start -> End [when skip]"))
                .containsExactly("'Start -> End [when skip]' runs no agent: Start must lead to agents (End is where "
                        + "they finish)");
    }

    @Test
    void validate_startToUser_rejectedNamingTheEdge() {
        assertThat(problems("Start -> A", "Start -> User", "A -> End"))
                .containsExactly("'Start -> User' runs no agent: Start must lead to agents (an agent asks the user "
                        + "with an edge such as 'Agent -> User')");
    }

    @Test
    void validate_edgeFromUserToEnd_hintNamesTheAskingAgentNotStartToEnd() {
        List<String> problems = problems("Start -> A", "A -> User", "User -> End");
        assertThat(problems)
                .containsExactly("'User' must not have outgoing edges, found 'User -> End': the user's answer always "
                        + "returns to the agent that asked; to finish after the user answers, give the agent that "
                        + "asked its own edge to End: 'A -> End'");
        assertThat(problems.get(0)).doesNotContain("Start -> End");
        assertThatCode(() -> Topology.builder()
                        .edges("Start -> A", "A -> User", "A -> End")
                        .build())
                .as("the hint, followed, gives a valid topology")
                .doesNotThrowAnyException();
    }

    @Test
    void validate_edgeFromUserToEnd_whenAskersFinishAlready_saysRemoveIt() {
        assertThat(problems("Start -> A", "A -> User", "A -> End", "User -> End"))
                .containsExactly("'User' must not have outgoing edges, found 'User -> End': the user's answer always "
                        + "returns to the agent that asked; the agents that ask the user already have their edge to "
                        + "End, so remove 'User -> End'");
    }

    @Test
    void validate_edgeFromUserToEnd_withoutAsker_genericValidHint() {
        assertThat(problems("Start -> A", "A -> End", "User -> End"))
                .singleElement()
                .asString()
                .endsWith("to finish after the user answers, give the agent that asks the user (its edge "
                        + "'<agent> -> User') an edge '<agent> -> End'")
                .doesNotContain("Start -> End");
    }

    @Test
    void validate_startToEnd_rejectedOnEveryLoadingPath() {
        String message =
                "invalid topology: 'Start -> End' runs no agent: Start must lead to agents (End is where they finish)";
        assertThatThrownBy(() -> Topology.fromMap(Map.of("flows", List.of("Start -> End"))))
                .isInstanceOf(TopologyException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> Topology.fromJson("{\"flows\": [\"Start -> A\", \"Start -> End\", \"A -> End\"]}"))
                .isInstanceOf(TopologyException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> Topology.fromYaml("flows:\n  - Start -> End\n"))
                .isInstanceOf(TopologyException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> Topology.of(List.of("A"), List.of("Start -> A", "Start -> End", "A -> End")))
                .isInstanceOf(TopologyException.class)
                .hasMessage(message);
    }
}
