package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core hooks a cluster of worker processes needs (research-scale-out §6.6, C1–C7): several instances share one
 * storage here, as worker JVMs share one database.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ClusterSupportTest {

    private final FlakyBackend storage = new FlakyBackend(StorageBackends.inMemory());
    private final StateManager manager = new StateManager(storage);
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private static final Topology PIPELINE = Topology.builder()
            .edge("Start -> A")
            .edge("A -> B")
            .edge("B -> C")
            .edge("C -> End")
            .build();

    private static final Topology ASKING = Topology.builder()
            .edges("Start -> Ask", "Ask -> User", "Ask -> End")
            .build();

    private Agent counted(String name, Agent agent) {
        return r -> {
            calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return agent.act(r);
        };
    }

    private int calls(String name) {
        return calls.getOrDefault(name, new AtomicInteger()).get();
    }

    private OrchestraInstance.Builder instance(Topology topology, AgentRegistry agents) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .stateManager(manager)
                .communicationConfig(CommunicationConfig.durable());
    }

    /** Asks "q1" on the task, "q2" after answer "a1", finishes after "a2". */
    private AgentRegistry askingAgents() {
        return AgentRegistry.create().register("Ask", counted("Ask", r -> switch (r.inputText()) {
            case "a1" -> AgentResponse.askUser("q2");
            case "a2" -> AgentResponse.finish("done after " + r.inputText());
            default -> AgentResponse.askUser("q1");
        }));
    }

    private AgentRegistry pipelineAgents(Agent a, Agent b) {
        return AgentRegistry.create()
                .register("A", counted("A", a))
                .register("B", counted("B", b))
                .register("C", counted("C", r -> AgentResponse.finish("c after " + r.input())));
    }

    @Test
    void release_afterAnotherInstanceContinuedTheSession_nextLegReadsStorageAndClaims() {
        OrchestraInstance first = instance(ASKING, askingAgents()).build();
        OrchestraInstance second = instance(ASKING, askingAgents()).build();
        first.execute("task", Map.of("session_id", "c1-1"), 10);
        second.respond("c1-1", "a1"); // leg 2 runs in the other "process"

        assertThatThrownBy(() -> first.respond("c1-1", "a2"))
                .as("the stale cached copy cannot claim the session")
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("another process");
        assertThat(first.release("c1-1")).isTrue();
        OrchestraResult done = first.respond("c1-1", "a2");

        assertThat(done.status()).as(done.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.finalResponse()).isEqualTo("done after a2");
        assertThat(calls("Ask")).isEqualTo(3);
        assertThat(first.release("c1-1"))
                .as("finished sessions are forgotten already")
                .isFalse();
        assertThat(first.release("unknown")).isFalse();
    }

    @Test
    void release_runningSession_keptAndReturnsFalse() throws Exception {
        CountDownLatch inA = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        OrchestraInstance instance = instance(
                        PIPELINE,
                        pipelineAgents(
                                r -> {
                                    inA.countDown();
                                    go.await();
                                    return AgentResponse.handOff("B", "a");
                                },
                                r -> AgentResponse.handOff("C", "b")))
                .build();
        SessionHandle handle = instance.start("t", Map.of("session_id", "c1-run"));
        assertThat(inA.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(instance.release("c1-run")).isFalse();
        go.countDown();
        assertThat(handle.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void createSession_storesWithoutRunning_anotherInstanceStartsIt() {
        OrchestraInstance client = instance(
                        PIPELINE,
                        pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> AgentResponse.handOff("C", "b")))
                .build();
        OrchestraInstance worker = instance(
                        PIPELINE,
                        pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> AgentResponse.handOff("C", "b")))
                .build();

        String id = client.createSession("task", Map.of("session_id", "c2-1"));
        StoredSession created = StoredSession.load(manager, id).orElseThrow();
        assertThat(calls).isEmpty();
        OrchestraResult result = worker.resumeSession(id, Map.of());

        assertThat(id).isEqualTo("c2-1");
        assertThat(created.status()).isEqualTo(StoredSession.CREATED);
        assertThat(created.runStatus()).isEmpty();
        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("c after b");
        assertThatThrownBy(() -> client.createSession("again", Map.of("session_id", "c2-1")))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("'c2-1'");
    }

    @Test
    void createSession_withoutStateManager_fails() {
        OrchestraInstance plain = OrchestraInstance.builder()
                .topology(PIPELINE)
                .agents(pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> AgentResponse.handOff("C", "b")))
                .build();

        assertThatThrownBy(() -> plain.createSession("t", Map.of()))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("createSession needs a StateManager");
    }

    @Test
    void leaseCheck_false_legStopsBeforeNextStepWritesNothingAndSaysOwnershipLost() {
        AtomicBoolean owned = new AtomicBoolean(true);
        OrchestraInstance instance = instance(
                        PIPELINE,
                        pipelineAgents(
                                r -> {
                                    owned.set(false); // the lease is lost while A runs
                                    return AgentResponse.handOff("B", "a");
                                },
                                r -> AgentResponse.handOff("C", "b")))
                .leaseCheck(id -> owned.get())
                .build();

        OrchestraResult result = instance.execute("t", Map.of("session_id", "c3-1"), 10);
        StoredSession stored = StoredSession.load(manager, "c3-1").orElseThrow();

        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().orElseThrow()).contains("lost its lease");
        assertThat(calls("B"))
                .as("no step is dispatched once the lease is gone")
                .isZero();
        assertThat(stored.status()).as("the lost leg wrote no final status").isEqualTo(StoredSession.RUNNING);
    }

    @Test
    void fencedOutByAnotherOwner_resultSaysOwnershipLost_notAPlainFailure() throws Exception {
        CountDownLatch inB = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        OrchestraInstance instance = instance(PIPELINE, pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> {
                    inB.countDown();
                    go.await();
                    return AgentResponse.handOff("C", "b");
                }))
                .build();
        SessionHandle handle = instance.start("t", Map.of("session_id", "c4-1"));
        assertThat(inB.await(10, TimeUnit.SECONDS)).isTrue();
        long last = manager.lastEventSequence("c4-1");
        manager.appendEvents(
                "c4-1",
                last,
                List.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode()
                        .put("kind", "claim"))); // another process claimed the session
        go.countDown();
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(result.error().orElseThrow()).contains("taken over");
        assertThat(calls("C")).isZero();
        OrchestraResult normal = instance(
                        PIPELINE,
                        pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> AgentResponse.handOff("C", "b")))
                .build()
                .execute("t", Map.of("session_id", "c4-2"), 10);
        assertThat(normal.isOwnershipLost()).isFalse();
    }

    @Test
    void recoverWithLeaseCheck_ownerStillWriting_takesOverAtOnce_andFencesTheStaleOwner() throws Exception {
        CountDownLatch inB = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        OrchestraInstance stale = instance(PIPELINE, pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> {
                    inB.countDown();
                    go.await(); // a paused process: it wakes up after the takeover
                    return AgentResponse.handOff("C", "stale b");
                }))
                .build();
        SessionHandle handle = stale.start("t", Map.of("session_id", "lease-1"));
        assertThat(inB.await(10, TimeUnit.SECONDS)).isTrue();
        OrchestraInstance owner = instance(
                        PIPELINE,
                        pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> AgentResponse.handOff("C", "b")))
                .leaseCheck(id -> true) // the cluster's lease says this process owns the session now
                .build();

        OrchestraResult taken = owner.recoverSession("lease-1", Map.of());
        go.countDown();
        OrchestraResult staleResult = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(taken.status()).as(taken.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(taken.finalResponse()).isEqualTo("c after b");
        assertThat(staleResult.isOwnershipLost()).isTrue();
        assertThat(StoredSession.load(manager, "lease-1").orElseThrow().finalResponses())
                .containsExactly("c after b");
        assertThat(calls("C"))
                .as("the stale owner committed nothing and ran no further step")
                .isEqualTo(1);
    }

    @Test
    void storageErrorDuringCommit_legEndsWithStateException_sessionNotStoredFailed_recoversLater() {
        OrchestraInstance first = instance(PIPELINE, pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> {
                    storage.down.set(true); // the database goes away while B runs
                    return AgentResponse.handOff("C", "b");
                }))
                .build();

        assertThatThrownBy(() -> first.execute("t", Map.of("session_id", "c5-1"), 10))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("was not marked FAILED");
        storage.down.set(false);
        StoredSession stored = StoredSession.load(manager, "c5-1").orElseThrow();
        OrchestraInstance later = instance(
                        PIPELINE,
                        pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> AgentResponse.handOff("C", "b")))
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1))) // the old owner is long silent
                .build();
        OrchestraResult recovered = later.recoverSession("c5-1", Map.of());

        assertThat(stored.status()).isEqualTo(StoredSession.RUNNING);
        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(recovered.finalResponse()).isEqualTo("c after b");
    }

    @Test
    void elapsedTime_countedAtEveryCommit_notOnlyWhenTheLegEnds() throws Exception {
        CountDownLatch inB = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        OrchestraInstance instance = instance(
                        PIPELINE,
                        pipelineAgents(
                                r -> {
                                    Thread.sleep(200); // the step's own work, not a synchronisation
                                    return AgentResponse.handOff("B", "a");
                                },
                                r -> {
                                    inB.countDown();
                                    go.await();
                                    return AgentResponse.handOff("C", "b");
                                }))
                .build();
        SessionHandle handle = instance.start("t", Map.of("session_id", "c6-1"));
        assertThat(inB.await(10, TimeUnit.SECONDS)).isTrue();
        List<JournalEvent> events = manager.readEvents("c6-1", 0);
        long elapsed = events.isEmpty()
                ? 0
                : events.getLast()
                        .data()
                        .path("counters")
                        .path("elapsedNanosBefore")
                        .asLong();
        go.countDown();
        handle.result().get(10, TimeUnit.SECONDS);

        assertThat(events).as("A's step was committed to the journal").isNotEmpty();
        assertThat(Duration.ofNanos(elapsed))
                .as("a crash now must not lose A's time from runTimeout")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void restoreCheckpoint_sessionRunningInAnotherProcess_refusedAndNothingRestored() throws Exception {
        CountDownLatch inB = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        OrchestraInstance owner = instance(PIPELINE, pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> {
                    inB.countDown();
                    go.await();
                    return AgentResponse.handOff("C", "b");
                }))
                .build();
        SessionHandle handle = owner.start("t", Map.of("session_id", "c7-1"));
        assertThat(inB.await(10, TimeUnit.SECONDS)).isTrue();
        String checkpoint = manager.createCheckpoint("c7-1", "mid");
        OrchestraInstance other = instance(
                        PIPELINE,
                        pipelineAgents(r -> AgentResponse.handOff("B", "a"), r -> AgentResponse.handOff("C", "b")))
                .build();

        assertThatThrownBy(() -> other.restoreCheckpoint(checkpoint))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("RUNNING in storage");
        go.countDown();
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);
        assertThat(result.status()).as("the owner was not disturbed").isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void restoreCheckpoint_storedVersionMovedSinceTheCheck_casFailsAndNothingIsWritten() {
        OrchestraInstance instance = instance(ASKING, askingAgents()).build();
        instance.execute("task", Map.of("session_id", "c7-2"), 10);
        String checkpoint = manager.createCheckpoint("c7-2", "asked");
        SessionSnapshot before = manager.loadSession("c7-2").orElseThrow();

        assertThatThrownBy(() -> manager.restoreCheckpoint(checkpoint, before.version() - 1))
                .isInstanceOf(ConcurrentSessionModificationException.class);
        assertThat(manager.loadSession("c7-2").orElseThrow().version()).isEqualTo(before.version());
        assertThat(manager.restoreCheckpoint(checkpoint, before.version()).version())
                .isGreaterThan(before.version());
    }

    @Test
    void offerAnswer_sessionNotRunningHere_returnsFalseAndStartsNothing() {
        OrchestraInstance instance = instance(ASKING, askingAgents()).build();
        OrchestraResult waiting = instance.execute("task", Map.of("session_id", "offer-1"), 10);
        String question = waiting.pendingQuestions().getFirst().interactionId();

        assertThat(instance.offerAnswer("offer-1", question, "a1")).isFalse();
        assertThat(instance.offerAnswer("unknown", question, "a1")).isFalse();
        assertThat(StoredSession.load(manager, "offer-1").orElseThrow().runStatus())
                .contains(RunStatus.WAITING_FOR_USER);
        assertThat(calls("Ask")).isEqualTo(1);
    }

    @Test
    void storedSession_readsStatusQuestionsAndResultsWithoutRunningAnything() {
        OrchestraInstance instance = instance(ASKING, askingAgents()).build();
        instance.execute("task", Map.of("session_id", "so-1"), 10);
        StoredSession waiting = StoredSession.load(manager, "so-1").orElseThrow();
        instance.respond("so-1", "a1");
        instance.respond("so-1", "a2");
        StoredSession done = StoredSession.load(manager, "so-1").orElseThrow();

        assertThat(waiting.runStatus()).contains(RunStatus.WAITING_FOR_USER);
        assertThat(waiting.pendingQuestions()).singleElement().satisfies(q -> assertThat(q.question())
                .isEqualTo("q1"));
        assertThat(waiting.isTerminal()).isFalse();
        assertThat(done.runStatus()).contains(RunStatus.COMPLETED);
        assertThat(done.isTerminal()).isTrue();
        assertThat(done.pendingQuestions()).isEmpty();
        assertThat(done.finalResponses()).containsExactly("done after a2");
        assertThat(done.version()).isGreaterThan(waiting.version());
        assertThat(StoredSession.load(manager, "nope")).isEmpty();
    }

    /** A backend whose writes fail with a {@link StateException} while {@link #down} is set (a database outage). */
    static final class FlakyBackend extends ForwardingStorageBackend {
        final AtomicBoolean down = new AtomicBoolean();

        FlakyBackend(StorageBackend delegate) {
            super(delegate);
        }

        private void check() {
            if (down.get()) {
                throw new StateException("connection refused (simulated outage)");
            }
        }

        @Override
        public long write(String key, byte[] value) {
            check();
            return super.write(key, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            check();
            return super.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
            check();
            return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            check();
            return super.appendJournal(key, expectedLastSequence, entries);
        }

        @Override
        public String name() {
            return "flaky";
        }
    }
}
