package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class PatternConfigTest {

    private static List<String> edges(Topology topology) {
        return topology.edges().stream().map(Edge::notation).toList();
    }

    @Test
    void hubAndSpoke_hubTalksToEachSpokeAndFinishes_noRendezvous() {
        Topology topology = PatternConfig.hubAndSpoke("Hub", List.of("A", "B"), true);
        assertThat(edges(topology))
                .containsExactly("Start -> Hub", "Hub -> A", "A -> Hub", "Hub -> B", "B -> Hub", "Hub -> End");
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
        assertThat(topology.analysis().entryAgents()).containsExactly("Hub");
        assertThat(topology.analysis().exitAgents()).containsExactly("Hub");
        assertThat(topology.rules()).containsExactly(new Rule.Parallel(List.of("A", "B")));
        assertThat(topology.metadata()).containsEntry("pattern", "hub_and_spoke");
    }

    @Test
    void hubAndSpoke_sequentialSpokes_noParallelRule() {
        assertThat(PatternConfig.hubAndSpoke("Hub", List.of("A", "B"), false).rules())
                .isEmpty();
    }

    @Test
    void pipeline_parallelStage_feedsNextStageWhichIsRendezvous() {
        Topology topology = PatternConfig.pipeline(List.of(
                Stage.of("plan", "Planner"),
                Stage.parallel("research", "Web", "Papers"),
                Stage.of("write", "Writer", "Editor")));
        assertThat(edges(topology))
                .containsExactly(
                        "Start -> Planner",
                        "Planner -> Web",
                        "Planner -> Papers",
                        "Web -> Writer",
                        "Papers -> Writer",
                        "Writer -> Editor",
                        "Editor -> End");
        assertThat(topology.analysis().rendezvousNodes()).containsExactly("Writer");
        assertThat(topology.analysis().reachableRendezvous("Planner")).containsExactly("Writer");
        assertThat(topology.rules()).containsExactly(new Rule.Parallel(List.of("Web", "Papers")));
    }

    @Test
    void pipeline_parallelFirstAndLastStages_startAndEndFanOutAndIn() {
        Topology topology = PatternConfig.pipeline(List.of(Stage.parallel("all", "A", "B")));
        assertThat(edges(topology)).containsExactly("Start -> A", "Start -> B", "A -> End", "B -> End");
        assertThat(topology.analysis().entryAgents()).containsExactly("A", "B");
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
    }

    @Test
    void pipeline_agentInTwoStagesOrNoStages_rejected() {
        assertThatThrownBy(() -> PatternConfig.pipeline(List.of(Stage.of("a", "X"), Stage.of("b", "X"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'X'");
        assertThatThrownBy(() -> PatternConfig.pipeline(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mesh_everyPairBothWaysAndEveryoneMayFinish() {
        Topology topology = PatternConfig.mesh(List.of("A", "B", "C"));
        assertThat(edges(topology))
                .containsExactly(
                        "Start -> A",
                        "A -> B",
                        "B -> A",
                        "A -> C",
                        "C -> A",
                        "B -> C",
                        "C -> B",
                        "A -> End",
                        "B -> End",
                        "C -> End");
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
        assertThat(topology.analysis().stronglyConnectedComponents()).containsExactly(java.util.Set.of("A", "B", "C"));
    }

    @Test
    void hierarchical_managersAndReportsBothWays_rootFinishes() {
        Map<String, List<String>> tree = new LinkedHashMap<>();
        tree.put("CEO", List.of("CTO", "CFO"));
        tree.put("CTO", List.of("Dev"));
        Topology topology = PatternConfig.hierarchical(tree);
        assertThat(edges(topology))
                .containsExactly(
                        "Start -> CEO",
                        "CEO -> CTO",
                        "CTO -> CEO",
                        "CTO -> Dev",
                        "Dev -> CTO",
                        "CEO -> CFO",
                        "CFO -> CEO",
                        "CEO -> End");
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
        assertThat(topology.analysis().canReach("Dev", "End")).isTrue();
    }

    @Test
    void hierarchical_twoRootsOrTwoParents_rejected() {
        assertThatThrownBy(() -> PatternConfig.hierarchical(Map.of("A", List.of("X"), "B", List.of("Y"))))
                .hasMessageContaining("exactly one root");
        Map<String, List<String>> diamond = new LinkedHashMap<>();
        diamond.put("R", List.of("A", "B"));
        diamond.put("A", List.of("C"));
        diamond.put("B", List.of("C"));
        assertThatThrownBy(() -> PatternConfig.hierarchical(diamond)).hasMessageContaining("more than once");
    }

    @Test
    void star_bidirectional_centerHearsBack() {
        Topology topology = PatternConfig.star("Center", List.of("P1", "P2"), true);
        assertThat(edges(topology))
                .containsExactly(
                        "Start -> Center",
                        "Center -> P1",
                        "P1 -> Center",
                        "Center -> P2",
                        "P2 -> Center",
                        "Center -> End");
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
    }

    @Test
    void star_oneWay_pointsFinishThemselves() {
        Topology topology = PatternConfig.star("Center", List.of("P1", "P2"), false);
        assertThat(edges(topology))
                .containsExactly(
                        "Start -> Center", "Center -> P1", "P1 -> End", "Center -> P2", "P2 -> End", "Center -> End");
        assertThat(topology.analysis().exitAgents()).containsExactly("P1", "P2", "Center");
    }

    @Test
    void ring_oneWay_closesLoopAndDisablesConvergenceAtEntry() {
        Topology topology = PatternConfig.ring(List.of("A", "B", "C"), false);
        assertThat(edges(topology)).containsExactly("Start -> A", "A -> B", "B -> C", "C -> A", "C -> End");
        assertThat(topology.node("A").orElseThrow().convergence()).isEqualTo(ConvergenceMode.DISABLED);
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
        assertThat(topology.analysis().stronglyConnectedComponents()).hasSize(1);
    }

    @Test
    void ring_bidirectional_neighboursBothWays() {
        Topology topology = PatternConfig.ring(List.of("A", "B", "C"), true);
        assertThat(edges(topology))
                .containsExactly("Start -> A", "A -> B", "B -> A", "B -> C", "C -> B", "C -> A", "A -> C", "C -> End");
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
    }

    @Test
    void ring_smallRings_haveNoDuplicateEdges() {
        assertThat(edges(PatternConfig.ring(List.of("A"), false))).containsExactly("Start -> A", "A -> End");
        assertThat(edges(PatternConfig.ring(List.of("A", "B"), true)))
                .containsExactly("Start -> A", "A -> B", "B -> A", "B -> End");
        assertThat(edges(PatternConfig.ring(List.of("A", "B"), false)))
                .containsExactly("Start -> A", "A -> B", "B -> A", "B -> End");
    }

    @Test
    void broadcast_withoutReplies_receiversFinish() {
        Topology topology = PatternConfig.broadcast("Caster", List.of("R1", "R2"), false);
        assertThat(edges(topology))
                .containsExactly(
                        "Start -> Caster", "Caster -> R1", "R1 -> End", "Caster -> R2", "R2 -> End", "Caster -> End");
        assertThat(topology.rules()).containsExactly(new Rule.Parallel(List.of("R1", "R2")));
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
    }

    @Test
    void broadcast_withReplies_receiversAnswerBroadcaster() {
        Topology topology = PatternConfig.broadcast("Caster", List.of("R1", "R2"), true);
        assertThat(edges(topology))
                .containsExactly(
                        "Start -> Caster",
                        "Caster -> R1",
                        "R1 -> Caster",
                        "Caster -> R2",
                        "R2 -> Caster",
                        "Caster -> End");
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
    }

    @Test
    void criticRevise_writerAndCriticBothWays_writerFinishes() {
        Topology topology = PatternConfig.criticRevise("Writer", "Critic");
        assertThat(edges(topology))
                .containsExactly("Start -> Writer", "Writer -> Critic", "Critic -> Writer", "Writer -> End");
        assertThat(topology.analysis().exitAgents()).containsExactly("Writer");
        assertThat(topology.analysis().rendezvousNodes()).isEmpty();
    }

    @Test
    void parallelExperts_synthesizerIsRendezvous() {
        Topology topology = PatternConfig.parallelExperts("Lead", List.of("Law", "Tax"), "Synth");
        assertThat(edges(topology))
                .containsExactly(
                        "Start -> Lead", "Lead -> Law", "Law -> Synth", "Lead -> Tax", "Tax -> Synth", "Synth -> End");
        assertThat(topology.analysis().rendezvousNodes()).containsExactly("Synth");
        assertThat(topology.analysis().reachableRendezvous("Lead")).containsExactly("Synth");
        assertThat(topology.rules()).containsExactly(new Rule.Parallel(List.of("Law", "Tax")));
    }

    @Test
    void chainOfThought_stepsInOrder() {
        Topology topology = PatternConfig.chainOfThought("Understand", "Plan", "Solve");
        assertThat(edges(topology))
                .containsExactly("Start -> Understand", "Understand -> Plan", "Plan -> Solve", "Solve -> End");
        assertThat(topology.analysis().stronglyConnectedComponents()).isEmpty();
        assertThatThrownBy(PatternConfig::chainOfThought).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void iterativeRefinement_alternatingPairWithTurnLimit_reviewerFinishes() {
        Topology topology = PatternConfig.iterativeRefinement("Worker", "Reviewer", 4);
        assertThat(edges(topology))
                .containsExactly("Start -> Worker", "Worker -> Reviewer", "Reviewer -> Worker", "Reviewer -> End");
        assertThat(topology.edges().get(1).pattern()).isEqualTo("alternating");
        // 4 review rounds: 4 drafts to the reviewer, 3 sent back
        assertThat(topology.analysis().maxTurns("Worker", "Reviewer")).hasValue(7);
        assertThat(topology.analysis().exitAgents()).containsExactly("Reviewer");
        assertThatThrownBy(() -> PatternConfig.iterativeRefinement("W", "R", 0))
                .hasMessage("maxIterations must be between 1 and 1073741824, was 0");
    }

    @Test
    void patterns_reservedOrRepeatedNames_rejected() {
        assertThatThrownBy(() -> PatternConfig.mesh(List.of("A", "End"))).hasMessageContaining("reserved");
        assertThatThrownBy(() -> PatternConfig.criticRevise("A", "A")).hasMessageContaining("more than once");
        assertThatThrownBy(() -> PatternConfig.mesh(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void patterns_roundTripThroughJson() {
        List<Topology> all = List.of(
                PatternConfig.hubAndSpoke("H", List.of("A", "B"), true),
                PatternConfig.pipeline(List.of(Stage.parallel("p", "A", "B"), Stage.of("s", "C"))),
                PatternConfig.mesh(List.of("A", "B")),
                PatternConfig.hierarchical(Map.of("R", List.of("A"))),
                PatternConfig.star("C", List.of("A"), false),
                PatternConfig.ring(List.of("A", "B", "C"), false),
                PatternConfig.broadcast("B", List.of("X", "Y"), true),
                PatternConfig.criticRevise("W", "C"),
                PatternConfig.parallelExperts("C", List.of("X", "Y"), "S"),
                PatternConfig.chainOfThought("A", "B"),
                PatternConfig.iterativeRefinement("W", "R", 3));
        for (Topology topology : all) {
            assertThat(Topology.fromJson(topology.toJson())).isEqualTo(topology);
        }
    }
}
