package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A leg that reached an end whose commit another process fenced out did not end: that process owns the session now.
 * Its result must say so — FAILED, naming the take-over — never the COMPLETED (or paused, or waiting) it could not
 * store, which a caller would act on while the session runs on elsewhere.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class FencedFinalCommitTest {

    private final FencingBackend storage = new FencingBackend();
    private final StateManager manager = new StateManager(storage);

    private OrchestraResult runFencingDuring(String agent, AgentResponse last) {
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .edge("B -> User")
                .build();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology)
                .agents(AgentRegistry.create()
                        .register("A", r -> {
                            if (agent.equals("A")) {
                                storage.fence = true;
                            }
                            return AgentResponse.handOff("B", "from A");
                        })
                        .register("B", r -> {
                            if (agent.equals("B")) {
                                storage.fence = true; // B's commit is the leg's last: it is fenced out
                            }
                            return last;
                        }))
                .stateManager(manager)
                .build();
        return instance.execute("t", Map.of("session_id", "fenced-" + agent), 10);
    }

    @Test
    void lastStepsCommitFencedOut_resultIsFailedAndTakenOver_notCompleted() {
        OrchestraResult result = runFencingDuring("B", AgentResponse.finish("done"));

        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("taken over"));
        assertThat(storage.fenced).as("the fence was hit").isPositive();
    }

    @Test
    void questionsCommitFencedOut_resultIsFailedAndTakenOver_notWaitingForTheUser() {
        OrchestraResult result = runFencingDuring("B", AgentResponse.askUser("which one?"));

        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("taken over"));
    }

    @Test
    void earlierCommitFencedOut_stillFailedAndTakenOver() {
        OrchestraResult result = runFencingDuring("A", AgentResponse.finish("done"));

        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("taken over"));
    }

    /** Session journal appends are rejected as another writer's once {@link #fence} is set. */
    private static final class FencingBackend extends ForwardingStorageBackend {
        volatile boolean fence;
        volatile int fenced;

        FencingBackend() {
            super(StorageBackends.inMemory());
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            if (fence && !key.startsWith("recordings/")) {
                fenced++;
                throw new ConcurrentSessionModificationException(key, expectedLastSequence, expectedLastSequence + 1);
            }
            return super.appendJournal(key, expectedLastSequence, entries);
        }
    }
}
