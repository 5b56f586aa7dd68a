package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two processes answering one waiting session at once. A process that continues a session at rest first journals
 * its claim, then stores the session RUNNING; another process that reads the session in between sees it still at rest,
 * with that claim after it. Claiming after that claim fenced the first process out while its step ran, then the second
 * one's own snapshot write lost to the first's: neither finished, the answer was lost, and storage said RUNNING with
 * no owner (found by a concurrent-respond test on the file, PostgreSQL and Redis backends). Here the first process's
 * claim is journaled by hand, as storage shows it to the second in that instant.
 */
final class ClaimRaceTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.atEpoch();
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private final Topology topology = TestTopologies.asking("Q");
    private final AgentRegistry agents = AgentRegistry.create().register("Q", r -> {
        if (r.received() instanceof Input.Answer answer) {
            answers.add(answer.text());
            return AgentResponse.finish("done: " + answer.text());
        }
        return AgentResponse.askUser("ok?");
    });

    private OrchestraInstance process(StorageBackend storage) {
        return LeasedProcess.over(storage, topology, agents, clock, HOUR);
    }

    /** A session waiting for the user, and another process's claim journaled after it. */
    private StateManager waitingAndClaimed(StorageBackend storage, String id) {
        try (OrchestraInstance first = process(storage)) {
            assertThat(first.execute("task", Map.of("session_id", id), 10).status())
                    .isEqualTo(RunStatus.WAITING_FOR_USER);
        }
        StateManager manager = StateManager.builder(storage).build();
        manager.appendEvents(
                id,
                manager.lastEventSequence(id),
                List.of(JsonNodeFactory.instance.objectNode().put("t", "claim")));
        return manager;
    }

    @Test
    void respond_afterAnotherProcessClaimedTheWaitingSession_isRefusedAndWritesNothing() {
        StorageBackend storage = StorageBackends.inMemory();
        StateManager manager = waitingAndClaimed(storage, "race-1");
        SessionSnapshot before = manager.loadSession("race-1").orElseThrow();
        long journalBefore = manager.lastEventSequence("race-1");

        try (OrchestraInstance second = process(storage)) {
            assertThatThrownBy(() -> second.respond("race-1", "two"))
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("session 'race-1' is being continued by another process")
                    .hasMessageContaining("its journal runs to sequence " + journalBefore)
                    .hasMessageContaining("past the state stored WAITING_FOR_USER")
                    .hasMessageContaining("call recoverSession");
        }

        assertThat(answers).isEmpty(); // the step did not run here: the claimer runs it
        SessionSnapshot after = manager.loadSession("race-1").orElseThrow();
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.status()).isEqualTo(RunStatus.WAITING_FOR_USER.name());
        assertThat(manager.lastEventSequence("race-1")).isEqualTo(journalBefore); // no second claim after the first
    }

    @Test
    void resumeSession_afterAnotherProcessClaimedIt_isRefusedToo() {
        StorageBackend storage = StorageBackends.inMemory();
        StateManager manager = waitingAndClaimed(storage, "race-2");
        long journalBefore = manager.lastEventSequence("race-2");

        try (OrchestraInstance second = process(storage)) {
            assertThatThrownBy(() -> second.resumeSession("race-2", Map.of()))
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("being continued by another process");
        }
        assertThat(manager.lastEventSequence("race-2")).isEqualTo(journalBefore);
    }

    /**
     * A claim left after a state at rest by a process that died before its snapshot (written by a version that
     * journaled claims first): respond and resume refuse it, naming recoverSession, which takes the session over.
     */
    @Test
    void recoverSession_afterAClaimLeftAtRest_takesItOver() {
        StorageBackend storage = StorageBackends.inMemory();
        waitingAndClaimed(storage, "race-3");

        try (OrchestraInstance recoverer = process(storage)) {
            assertThat(recoverer.recoverSession("race-3", Map.of()).status()).isEqualTo(RunStatus.WAITING_FOR_USER);
            assertThat(recoverer.respond("race-3", "three").finalResponse()).isEqualTo("done: three");
        }
        assertThat(answers).containsExactly("three");
    }

    /**
     * Continuing a session at rest journals no claim: the RUNNING snapshot, written at the version this process read, is
     * the claim, so no other process can read the session at rest with a claim after it (the answer is journaled next,
     * before its step runs). While that step runs, storage says RUNNING and a third process is refused.
     */
    @Test
    void respond_toASessionAtRest_claimsWithTheSnapshotAlone() throws Exception {
        StorageBackend storage = StorageBackends.inMemory();
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AgentRegistry blocking = AgentRegistry.create().register("Q", r -> {
            if (r.received() instanceof Input.Answer answer) {
                entered.countDown();
                release.await();
                return AgentResponse.finish("done: " + answer.text());
            }
            return AgentResponse.askUser("ok?");
        });
        StateManager manager = StateManager.builder(storage).build();
        try (OrchestraInstance first = OrchestraInstance.builder()
                        .topology(topology)
                        .agents(blocking)
                        .stateManager(StateManager.builder(storage).build())
                        .build();
                OrchestraInstance second = OrchestraInstance.builder()
                        .topology(topology)
                        .agents(blocking)
                        .stateManager(StateManager.builder(storage).build())
                        .build();
                OrchestraInstance third = process(storage)) {
            first.execute("task", Map.of("session_id", "race-4"), 10);
            long atRest = manager.lastEventSequence("race-4");

            CompletableFuture<OrchestraResult> answered =
                    CompletableFuture.supplyAsync(() -> second.respond("race-4", "two"));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            assertThat(manager.loadSession("race-4").orElseThrow().status()).isEqualTo("RUNNING");
            assertThat(manager.readEvents("race-4", atRest))
                    .as("no claim journaled: the snapshot is the claim; the answer is, before its step runs")
                    .singleElement()
                    .satisfies(
                            entry -> assertThat(entry.data().path("t").asText()).isEqualTo("step"));
            assertThatThrownBy(() -> third.respond("race-4", "three"))
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("RUNNING");

            release.countDown();
            assertThat(answered.get(20, TimeUnit.SECONDS).finalResponse()).isEqualTo("done: two");
        }
        assertThat(manager.loadSession("race-4").orElseThrow().status()).isEqualTo("COMPLETED");
    }
}
