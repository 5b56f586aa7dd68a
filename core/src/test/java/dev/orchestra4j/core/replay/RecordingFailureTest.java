package dev.orchestra4j.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step's record is stored in the journal append that commits the step. When storage fails at that moment, the
 * failure is the storage's, not the agent's: it must never be routed as a step failure (which ended the session FAILED,
 * seen in the cluster's database-blip scenario). The leg ends with the storage error, storage keeps the session
 * RUNNING, the uncommitted step has no record, and recovery runs it again and records it once; the records of the steps
 * committed before survive the recovery's truncation of the journal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RecordingFailureTest {

    private static final Topology TWO_STEPS = Topology.builder()
            .edge("Start -> A")
            .edge("A -> B")
            .edge("B -> End")
            .build();

    private final RecordingFailingBackend storage = new RecordingFailingBackend();
    private final StateManager manager = new StateManager(storage);
    private final AtomicInteger bSteps = new AtomicInteger();
    private final List<OrchestraEvent> events = new CopyOnWriteArrayList<>();

    private OrchestraInstance instance(Runnable duringB) {
        return instance(() -> {}, duringB);
    }

    private OrchestraInstance instance(Runnable duringA, Runnable duringB) {
        return OrchestraInstance.builder()
                .topology(TWO_STEPS)
                .agents(AgentRegistry.create()
                        .register("A", r -> {
                            duringA.run();
                            return AgentResponse.handOff("B", "from A");
                        })
                        .register("B", r -> {
                            bSteps.incrementAndGet();
                            duringB.run();
                            return AgentResponse.finish("done");
                        }))
                .stateManager(manager)
                .listener(events::add)
                .build();
    }

    @Test
    void commitCarryingTheRecordFails_legEndsWithTheStorageError_notRoutedAsAgentFailure_recoveryRecordsTheStepOnce() {
        OrchestraInstance first =
                instance(() -> storage.failure = () -> new StateException("connection terminated (simulated)"));

        assertThatThrownBy(() -> first.execute("t", Map.of("session_id", "rec-1"), 10))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("connection terminated (simulated)");

        assertThat(storage.failed)
                .as("B's commit, with its record, was the write that failed")
                .isPositive();
        assertThat(Recording.read(manager, "rec-1").steps())
                .as("the uncommitted step has no record")
                .extracting(RecordedStep::agent)
                .containsExactly("A");
        assertThat(events)
                .as("a storage failure is not the agent's: nothing routes it")
                .noneMatch(e -> e instanceof OrchestraEvent.StepFailed);
        StoredSession stored = StoredSession.load(manager, "rec-1").orElseThrow();
        assertThat(stored.status()).as("storage still holds the leg as RUNNING").isEqualTo(StoredSession.RUNNING);

        storage.failure = null;
        OrchestraResult recovered = instance(() -> {}).recoverSession("rec-1", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(recovered.finalResponse()).isEqualTo("done");
        assertThat(bSteps).as("B's step was not committed, so it ran again").hasValue(2);
        assertThat(storedRecords("rec-1")).as("each step's record stored once").containsExactly("A", "B");
    }

    /** The agents of every record stored: the recording's, then those the journal holds beyond the last moved. */
    private List<String> storedRecords(String id) {
        List<String> agents = new java.util.ArrayList<>();
        long moved = 0;
        for (JournalEvent event : manager.readRecording(id, 0)) {
            agents.add(event.data().path("agent").asText());
            moved = Math.max(moved, event.data().path("journalSequence").asLong());
        }
        for (JournalEvent event : manager.readEvents(id, moved)) {
            event.data().path("records").forEach(r -> agents.add(r.path("agent").asText()));
        }
        return agents;
    }

    @Test
    void commitCarryingTheRecordFencedOut_legEndsAsTakenOver_neverFailed() {
        OrchestraInstance first = instance(
                () -> storage.failure = () -> new ConcurrentSessionModificationException("sessions/rec-2", 1, 2),
                () -> {});

        OrchestraResult result = first.execute("t", Map.of("session_id", "rec-2"), 10);

        assertThat(result.isOwnershipLost()).as(result.error().orElse("")).isTrue();
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("taken over"));
        assertThat(events).noneMatch(e -> e instanceof OrchestraEvent.StepFailed);
        assertThat(bSteps)
                .as("A's step was not committed: nothing after it ran")
                .hasValue(0);
        assertThat(StoredSession.load(manager, "rec-2").orElseThrow().status())
                .as("the stale owner wrote nothing more")
                .isEqualTo(StoredSession.RUNNING);
    }

    /** Appends to session journals fail with {@link #failure} while it is set; everything else goes through. */
    private static final class RecordingFailingBackend extends ForwardingStorageBackend {
        volatile @Nullable Supplier<RuntimeException> failure;
        volatile int failed;

        RecordingFailingBackend() {
            super(StorageBackends.inMemory());
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            Supplier<RuntimeException> f = failure;
            if (f != null && !key.startsWith("recordings/")) {
                failed++;
                throw f.get();
            }
            return super.appendJournal(key, expectedLastSequence, entries);
        }
    }
}
