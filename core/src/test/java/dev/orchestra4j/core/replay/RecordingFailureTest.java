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
 * The step's recording is written while the step runs. When storage fails at that moment, the failure is the
 * storage's, not the agent's: it must never be routed as a step failure (which ended the session FAILED, seen in the
 * cluster's database-blip scenario). The leg ends with the storage error, storage keeps the session RUNNING, and
 * recovery runs the uncommitted step again.
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
        return OrchestraInstance.builder()
                .topology(TWO_STEPS)
                .agents(AgentRegistry.create()
                        .register("A", r -> AgentResponse.handOff("B", "from A"))
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
    void recordingAppendFailsDuringAStep_legEndsWithTheStorageError_notRoutedAsAgentFailure_recoveryRerunsTheStep() {
        OrchestraInstance first =
                instance(() -> storage.failure = () -> new StateException("connection terminated (simulated)"));

        assertThatThrownBy(() -> first.execute("t", Map.of("session_id", "rec-1"), 10))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("connection terminated (simulated)")
                .hasMessageContaining("recording of session 'rec-1'");

        assertThat(storage.failed)
                .as("the recording append was the write that failed")
                .isPositive();
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
    }

    @Test
    void recordingAppendFencedOutDuringAStep_legEndsAsTakenOver_neverFailed() {
        OrchestraInstance first = instance(
                () -> storage.failure = () -> new ConcurrentSessionModificationException("recordings/rec-2", 1, 2));

        OrchestraResult result = first.execute("t", Map.of("session_id", "rec-2"), 10);

        assertThat(result.isOwnershipLost()).as(result.error().orElse("")).isTrue();
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("taken over"));
        assertThat(events).noneMatch(e -> e instanceof OrchestraEvent.StepFailed);
        assertThat(StoredSession.load(manager, "rec-2").orElseThrow().status())
                .as("the stale owner wrote nothing more")
                .isEqualTo(StoredSession.RUNNING);
    }

    /** Appends to step recordings fail with {@link #failure} while it is set; everything else goes through. */
    private static final class RecordingFailingBackend extends ForwardingStorageBackend {
        volatile @Nullable Supplier<RuntimeException> failure;
        volatile int failed;

        RecordingFailingBackend() {
            super(StorageBackends.inMemory());
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            Supplier<RuntimeException> f = failure;
            if (f != null && key.startsWith("recordings/")) {
                failed++;
                throw f.get();
            }
            return super.appendJournal(key, expectedLastSequence, entries);
        }
    }
}
