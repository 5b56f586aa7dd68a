package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A leg whose final snapshot cannot be written must not report a clean end (README "A storage error is not a failure
 * of the session"): the leg ends with the storage error, storage keeps RUNNING, and {@code recoverSession} finishes
 * the session once storage is back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class FinalSaveFailureTest {

    private static final Topology ONE_STEP =
            Topology.builder().edge("Start -> A").edge("A -> End").build();

    private final SnapshotFailingBackend storage = new SnapshotFailingBackend(StorageBackends.inMemory());
    private final StateManager manager = new StateManager(storage);
    private final AtomicInteger steps = new AtomicInteger();

    private OrchestraInstance instance(Clock clock, Runnable duringStep) {
        return OrchestraInstance.builder()
                .topology(ONE_STEP)
                .agents(AgentRegistry.create().register("A", r -> {
                    steps.incrementAndGet();
                    duringStep.run();
                    return AgentResponse.finish("done");
                }))
                .stateManager(manager)
                .clock(clock)
                .build();
    }

    private void assertRecoversLater() {
        assertThat(storage.failedOnce)
                .as("the final snapshot write was the one that failed")
                .isTrue();
        storage.failure = null;
        StoredSession stored = StoredSession.load(manager, "final-1").orElseThrow();
        assertThat(stored.status()).as("storage still holds the leg as RUNNING").isEqualTo(StoredSession.RUNNING);

        OrchestraResult recovered = instance(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)), () -> {})
                .recoverSession("final-1", Map.of());

        assertThat(recovered.status()).as(recovered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(recovered.finalResponse()).isEqualTo("done");
        assertThat(steps).as("the committed step did not run again").hasValue(1);
        assertThat(StoredSession.load(manager, "final-1").orElseThrow().status())
                .isEqualTo(RunStatus.COMPLETED.name());
    }

    @Test
    void finalSnapshotFailsWithStorageError_legEndsWithStateException_storageKeepsRunning_recoversLater() {
        OrchestraInstance first = instance(
                Clock.systemUTC(), () -> storage.failure = () -> new StateException("connection reset (simulated)"));

        assertThatThrownBy(() -> first.execute("t", Map.of("session_id", "final-1"), 10))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("connection reset (simulated)")
                .hasMessageContaining("was not marked FAILED");
        assertRecoversLater();
    }

    @Test
    void finalSnapshotFailsWithAnUncheckedBackendError_notReportedCompleted_storageKeepsRunning_recoversLater() {
        OrchestraInstance first = instance(
                Clock.systemUTC(), () -> storage.failure = () -> new IllegalStateException("disk went read-only"));

        assertThatThrownBy(() -> first.execute("t", Map.of("session_id", "final-1"), 10))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("disk went read-only")
                .hasMessageContaining("was not marked FAILED");
        assertRecoversLater();
    }

    /** Snapshot writes (compare-and-set) fail with {@link #failure} while it is set; journal appends go through. */
    private static final class SnapshotFailingBackend extends ForwardingStorageBackend {
        volatile Supplier<RuntimeException> failure;
        final AtomicBoolean failedOnce = new AtomicBoolean();

        SnapshotFailingBackend(StorageBackend delegate) {
            super(delegate);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            Supplier<RuntimeException> f = failure;
            if (f != null) {
                failedOnce.set(true);
                throw f.get();
            }
            return super.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
            Supplier<RuntimeException> f = failure;
            if (f != null) {
                failedOnce.set(true);
                throw f.get();
            }
            return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
        }

        @Override
        public String name() {
            return "snapshot-failing";
        }
    }
}
