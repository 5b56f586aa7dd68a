package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A resume claims the session with two writes: a fence in the journal, then a RUNNING snapshot. When storage fails
 * after the fence (or after the snapshot, with a failure reported late), the resume fails with the storage error; once
 * storage is back, resuming again in the same instance must work. Found by the simulation (seed
 * -7978158544832633377): the instance kept its copy with the fence and version from before the failed claim, so every
 * later resume or recover there failed with "being continued by another process" though no other process existed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ClaimStorageFailureTest {

    private static final Topology ONE_STEP =
            Topology.builder().edge("Start -> A").edge("A -> End").build();

    /** Fails the session's next {@code failures} snapshot writes; {@code afterWrite}: the write happens first. */
    private static final class FailingSnapshots extends ForwardingStorageBackend {
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger appendFailures = new AtomicInteger();
        volatile boolean afterWrite;

        FailingSnapshots() {
            super(StorageBackends.inMemory());
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, java.util.List<byte[]> entries) {
            if (key.startsWith("sessions/") && appendFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StateException("connection reset (simulated)");
            }
            return super.appendJournal(key, expectedLastSequence, entries);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            if (key.startsWith("sessions/") && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (afterWrite) {
                    super.compareAndSet(key, expectedVersion, value);
                }
                throw new StateException("connection reset (simulated)");
            }
            return super.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
            if (key.startsWith("sessions/") && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (afterWrite) {
                    super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
                }
                throw new StateException("connection reset (simulated)");
            }
            return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
        }
    }

    private final FailingSnapshots storage = new FailingSnapshots();
    private final MutableClock clock = MutableClock.atEpoch();

    private OrchestraInstance instance() {
        return OrchestraInstance.builder()
                .topology(ONE_STEP)
                .agents(AgentRegistry.create().register("A", r -> AgentResponse.finish("done")))
                .stateManager(new StateManager(storage))
                .clock(clock)
                .build();
    }

    @Test
    void resume_storageFailsAfterTheClaimsFence_resumingAgainInTheSameInstanceRunsTheSession() {
        OrchestraInstance instance = instance();
        String id = instance.createSession("task", Map.of("session_id", "claim-1"));
        storage.failures.set(1);

        assertThatThrownBy(() -> instance.resumeSession(id, Map.of()))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("connection reset (simulated)");
        OrchestraResult result = instance.resumeSession(id, Map.of());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("done");
    }

    @Test
    void resume_snapshotStoredButReportedFailed_resumingAgainInTheSameInstanceRunsTheSession() {
        OrchestraInstance instance = instance();
        String id = instance.createSession("task", Map.of("session_id", "claim-2"));
        storage.afterWrite = true;
        storage.failures.set(1);

        assertThatThrownBy(() -> instance.resumeSession(id, Map.of()))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("connection reset (simulated)");
        // storage now holds the session RUNNING (the claim's snapshot went through): only a recovery may take it
        clock.advance(java.time.Duration.ofSeconds(4)); // past the lease of the claim that failed
        OrchestraResult result = instance.recoverSession(id, Map.of());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
    }

    /**
     * A restore writes the checkpoint's snapshot stamped past the journal, then a marker that moves the journal's fence
     * up to the stamp. When the marker's append fails, the session must still be continued from the restored state:
     * found by the simulation (seed 7644197207842562436), the reloaded session took the stamp for its fence, so every
     * claim of it failed as "continued by another process" and the session could never run again.
     */
    @Test
    void restoreCheckpoint_markerAppendFails_theRestoredSessionStillResumes() {
        OrchestraInstance instance = instance();
        String id = instance.createSession("task", Map.of("session_id", "claim-3"));
        String created = instance.createCheckpoint(id, "created");
        assertThat(instance.resumeSession(id, Map.of()).status()).isEqualTo(RunStatus.COMPLETED);
        storage.appendFailures.set(1);

        assertThatThrownBy(() -> instance.restoreCheckpoint(created))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("connection reset (simulated)");
        OrchestraResult result = instance.resumeSession(id, Map.of());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
    }
}
