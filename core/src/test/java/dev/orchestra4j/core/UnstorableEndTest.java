package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A leg whose end holds a value storage cannot take (a map with non-string keys, an {@code Optional}, as a final
 * answer or its metadata). A value like that in the middle of a run fails the leg, naming it; at the end it used to be
 * reported COMPLETED while storage said COMPLETED over the state of the leg's start (no final response, the branch
 * still RUNNING), so a follow-up saw nothing and nobody was told. The end that cannot be stored is a failure: the
 * caller gets FAILED with the reason, and storage says FAILED over the last state it could hold.
 */
final class UnstorableEndTest {

    private final StateManager manager =
            StateManager.builder(StorageBackends.inMemory()).build();

    private OrchestraResult run(Topology topology, AgentRegistry agents, String id) {
        return Orchestra.run(
                "task",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .stateManager(manager)
                        .context(Map.of("session_id", id))
                        .build());
    }

    @Test
    void finalAnswerThatIsNotJson_failsTheRunNamingIt_andStorageSaysFailed() {
        Topology topology = TestTopologies.single();
        AgentRegistry agents = AgentRegistry.create().register("A", r -> AgentResponse.finish(Map.of(1, "one")));

        OrchestraResult result = run(topology, agents, "unstorable-1");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().orElseThrow())
                .contains("session 'unstorable-1' cannot be saved")
                .contains("a value produced by an agent");
        SessionSnapshot stored = manager.loadSession("unstorable-1").orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.FAILED.name());
    }

    @Test
    void unstorableEndAfterCommittedSteps_keepsThoseSteps_andSaysFailed() {
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> AgentResponse.handOff("B", "from A"))
                .register("B", r -> AgentResponse.finish(Optional.of("x")));

        OrchestraResult result = run(topology, agents, "unstorable-2");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        StoredSession stored = StoredSession.load(manager, "unstorable-2").orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.FAILED.name());
        assertThat(stored.journalSequence())
                .as("A's committed step is still there")
                .isEqualTo(1);
    }

    @Test
    void finalMetadataThatIsNotJson_failsTheRunToo() {
        Topology topology = TestTopologies.single();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> AgentResponse.finish("done").withMetadata("k", Optional.of(1)));

        OrchestraResult result = run(topology, agents, "unstorable-3");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(manager.loadSession("unstorable-3").orElseThrow().status()).isEqualTo(RunStatus.FAILED.name());
    }
}
