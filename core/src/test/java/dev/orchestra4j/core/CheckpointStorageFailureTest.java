package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A checkpoint of a running session saves the session first, then copies what storage holds. When that save fails,
 * storage holds an older state (its last snapshot, without the steps journaled after it): the checkpoint must fail
 * instead of returning the id of a copy that silently lacks committed steps. Found by the simulation (seed
 * -6546279631715573488): restoring such a checkpoint brought back a state from before steps that had been committed
 * when it was asked for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class CheckpointStorageFailureTest {

    /** Fails the session's snapshot writes while {@link #failing} is set, its journal appends while {@link #appends}. */
    private static final class FailingSnapshots extends ForwardingStorageBackend {
        volatile boolean failing;
        volatile boolean appends;

        FailingSnapshots() {
            super(StorageBackends.inMemory());
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            if (failing && key.startsWith("sessions/")) {
                throw new StateException("connection reset (simulated)");
            }
            return super.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value, long expectedLastSequence) {
            if (failing && key.startsWith("sessions/")) {
                throw new StateException("connection reset (simulated)");
            }
            return super.compareAndSet(key, expectedVersion, value, expectedLastSequence);
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, java.util.List<byte[]> entries) {
            if (appends && key.startsWith("sessions/")) {
                throw new StateException("connection reset (simulated)");
            }
            return super.appendJournal(key, expectedLastSequence, entries);
        }
    }

    @Test
    void checkpointOfARunningSession_itsSaveFails_checkpointFailsWithTheStorageError() throws Exception {
        FailingSnapshots storage = new FailingSnapshots();
        StateManager manager = new StateManager(storage);
        QueueUserChannel channel = new QueueUserChannel();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edges("Start -> A", "A -> B", "B -> End", "B -> User")
                        .build())
                .agents(AgentRegistry.create()
                        .register("A", r -> AgentResponse.handOff("B", "from A"))
                        .register(
                                "B",
                                r -> "User".equals(r.from())
                                        ? AgentResponse.finish("done")
                                        : AgentResponse.askUser("go on?")))
                .communicationConfig(CommunicationConfig.of(channel))
                .stateManager(manager)
                .build();
        SessionHandle handle = instance.start("task", Map.of("session_id", "cp-1"));
        var question = channel.nextQuestion(Duration.ofSeconds(10)).orElseThrow(); // A's step is journaled by now
        storage.failing = true;

        assertThatThrownBy(() -> instance.createCheckpoint("cp-1", "after-a"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("connection reset (simulated)");
        assertThat(manager.listCheckpoints("cp-1")).isEmpty();

        storage.failing = false;
        channel.submit(question.interactionId(), "yes");
        assertThatThrownBy(() -> handle.result().get(10, TimeUnit.SECONDS))
                .hasRootCauseMessage("connection reset (simulated)");
    }

    /**
     * A session left RUNNING by a storage failure (or a crash) is stored as its last snapshot plus the steps journaled
     * after it. A checkpoint at rest copies the snapshot alone, so it must be refused until the session is recovered:
     * found by the simulation (seed 46904763497989168), restoring such a checkpoint lost a committed step.
     */
    @Test
    void checkpointAtRest_stepsJournaledAfterTheSnapshot_refusedUntilRecovered() {
        FailingSnapshots storage = new FailingSnapshots();
        MutableClock clock = MutableClock.atEpoch();
        java.util.concurrent.atomic.AtomicBoolean firstB = new java.util.concurrent.atomic.AtomicBoolean(true);
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edges("Start -> A", "A -> B", "B -> End")
                        .build())
                .agents(AgentRegistry.create()
                        .register("A", r -> AgentResponse.handOff("B", "from A"))
                        .register("B", r -> {
                            // B's first outcome cannot be committed: the leg stops there
                            storage.appends = firstB.getAndSet(false);
                            return AgentResponse.finish("done");
                        }))
                .stateManager(new StateManager(storage))
                .clock(clock)
                .build();
        assertThatThrownBy(() -> instance.execute("task", Map.of("session_id", "cp-2"), 10))
                .isInstanceOf(StateException.class);
        storage.appends = false;

        assertThatThrownBy(() -> instance.createCheckpoint("cp-2", "left-running"))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("recover");
        clock.advance(Duration.ofSeconds(4));
        assertThat(instance.recoverSession("cp-2", Map.of()).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(instance.createCheckpoint("cp-2", "recovered")).endsWith("-recovered");
    }
}
