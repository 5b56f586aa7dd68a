package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.Topology;
import dev.orchestra4j.topology.TopologyException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class LegacyFormTest {

    private static List<String> edges(Topology topology) {
        return topology.edges().stream().map(Edge::notation).toList();
    }

    private static List<String> problems(Map<String, ?> map) {
        return catchThrowableOfType(TopologyException.class, () -> Topology.fromMap(map))
                .problems();
    }

    @Test
    void translate_plainChain_addsStartToRootAndLeafToEnd() {
        Topology topology = Topology.of(List.of("A", "B", "C"), List.of("A -> B", "B -> C"));
        assertThat(edges(topology)).containsExactly("Start -> A", "A -> B", "B -> C", "C -> End");
    }

    @Test
    void translate_entryAndExitPoints_areUsed() {
        Topology topology = Topology.fromMap(Map.of(
                "agents", List.of("A", "B"),
                "flows", List.of("A <-> B"),
                "entry_point", "A",
                "exit_points", List.of("A")));
        assertThat(edges(topology)).containsExactly("Start -> A", "A -> B", "B -> A", "A -> End");
    }

    @Test
    void translate_userSuccessor_becomesEntryAndUserEdgeIsDropped() {
        Topology topology = Topology.of(List.of("User", "A", "B"), List.of("User -> A", "A -> B", "B -> User"));
        assertThat(edges(topology)).containsExactly("Start -> A", "A -> B", "B -> User", "B -> End");
        assertThat(topology.analysis().canAskUser("B")).isTrue();
        assertThat(topology.analysis().canFinish("B")).isTrue();
    }

    @Test
    void translate_severalRoots_asksForEntryPoint() {
        assertThat(problems(Map.of("flows", List.of("A -> C", "B -> C"))))
                .containsExactly("cannot choose the entry agent among ['A', 'B'] (none has incoming edges); set "
                        + "'entry_point'");
    }

    @Test
    void translate_noRoot_asksForEntryPoint() {
        assertThat(problems(Map.of("flows", List.of("A <-> B", "B -> C"))))
                .containsExactly("cannot find the entry agent: every agent has an incoming edge; set 'entry_point'");
    }

    @Test
    void translate_noLeaf_asksForExitPoints() {
        assertThat(problems(Map.of("flows", List.of("A <-> B"), "entry_point", "A")))
                .containsExactly("cannot find the exit agents: every agent has an outgoing edge; set 'exit_points'");
    }

    @Test
    void translate_entryPointNotAnAgent_reported() {
        assertThat(problems(Map.of("flows", List.of("A -> B"), "entry_point", "Ghost")))
                .containsExactly("'entry_point' names 'Ghost', which is not an agent of this topology");
    }

    @Test
    void translate_emptyGraph_reportsNoAgents() {
        assertThat(problems(Map.of("agents", List.of()))).containsExactly("the topology has no agents");
    }

    @Test
    void translate_legacyKeysWithStart_rejected() {
        assertThat(problems(Map.of("flows", List.of("Start -> A", "A -> End"), "entry_point", "A")))
                .singleElement()
                .asString()
                .startsWith("'entry_point' is only for topologies without a 'Start' node");
    }

    @Test
    void translate_existingEndWithoutStart_onlyAddsStart() {
        Topology topology = Topology.of(List.of("A", "B"), List.of("A -> B", "B -> End"));
        assertThat(edges(topology)).containsExactly("Start -> A", "A -> B", "B -> End");
    }

    @Test
    void translate_exitPointAlreadyLinkedToEnd_notDuplicated() {
        Topology topology = Topology.fromMap(
                Map.of("flows", List.of("A -> B", "B -> End", "A -> End"), "exit_points", List.of("A", "B")));
        assertThat(edges(topology)).containsExactly("Start -> A", "A -> B", "B -> End", "A -> End");
    }

    @Test
    void translate_errorEdgeFromLeaf_leafStillExits() {
        Topology topology = Topology.of(List.of("A", "B", "Fix"), List.of("A -> B", "B -> Fix [on error]"));
        assertThat(edges(topology))
                .containsExactly("Start -> A", "A -> B", "B -> Fix [on error]", "B -> End", "Fix -> End");
    }

    @Test
    void translate_userStartedConversation_everyAgentAnsweringTheUserMayFinish() {
        Topology topology = Topology.of(
                List.of("User", "Main", "Handler", "Fallback"),
                List.of(
                        "User -> Main",
                        "Main -> User",
                        "Main -> Handler",
                        "Handler -> User",
                        "Handler -> Fallback",
                        "Fallback -> User"));
        assertThat(topology.analysis().exitAgents()).containsExactly("Main", "Handler", "Fallback");
        assertThat(topology.analysis().canAskUser("Main")).isTrue();
        assertThat(topology.analysis().successors("Main")).containsExactly("User", "Handler", "End");
    }

    @Test
    void translate_noUserEntry_agentAskingTheUserIsNoExitUnlessALeaf() {
        Topology topology = Topology.of(List.of("User", "A", "B"), List.of("A -> User", "A -> B"));
        assertThat(topology.analysis().exitAgents()).containsExactly("B");
    }
}
