package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run's result lists the session's checkpoints from storage, after its final save. When only that listing fails,
 * the run has ended and is stored as it ended: the caller gets that result, not the listing's exception (a caller that
 * took the exception for a failed run would run the task again).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class CheckpointListingFailureTest {

    /** Fails every listing of checkpoints while {@link #failing} is set. */
    private static final class FailingListing extends ForwardingStorageBackend {
        volatile boolean failing;

        FailingListing() {
            super(StorageBackends.inMemory());
        }

        @Override
        public List<String> list(String prefix) {
            if (failing && prefix.startsWith("checkpoints/")) {
                throw new StateException("connection reset (simulated)");
            }
            return super.list(prefix);
        }
    }

    @Test
    void listingFailsAfterTheFinalSave_theRunsResultIsReturned_andSaysTheListIsIncomplete() {
        FailingListing storage = new FailingListing();
        StateManager manager = new StateManager(storage);
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder().edges("Start -> A", "A -> End").build())
                .agents(AgentRegistry.create().register("A", r -> {
                    storage.failing = true;
                    return AgentResponse.finish("done");
                }))
                .stateManager(manager)
                .build();

        OrchestraResult result = instance.execute("task", Map.of(), 5);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("done");
        assertThat(manager.loadSession(result.sessionId()).orElseThrow().status())
                .isEqualTo("COMPLETED");
        assertThat(result.metadata())
                .as("the result says its checkpoint list could not be read, and why")
                .containsEntry(
                        "checkpoint_ids_unavailable",
                        "could not list the checkpoints of session '" + result.sessionId()
                                + "': connection reset (simulated)");
        assertThat(result.checkpointIds()).isEmpty();
    }

    @Test
    void listingWorks_theResultSaysNothingIsUnavailable() {
        StateManager manager = new StateManager(new FailingListing());
        OrchestraResult result = Orchestra.run(
                "task",
                Topology.builder().edges("Start -> A", "A -> End").build(),
                RunOptions.builder()
                        .agents(AgentRegistry.create().register("A", r -> AgentResponse.finish("done")))
                        .stateManager(manager)
                        .build());

        assertThat(result.success()).isTrue();
        assertThat(result.metadata()).doesNotContainKey("checkpoint_ids_unavailable");
    }
}
