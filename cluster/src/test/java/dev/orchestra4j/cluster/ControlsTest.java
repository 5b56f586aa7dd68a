package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pause, resume and cancel sent from a client node go through the inbox to wherever the session is. */
final class ControlsTest extends ScenarioBase {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void pauseRunning_thenResume_completesWithEveryStepOnce_pausedHoldsNoRow() throws Exception {
        workers.start("w1");
        String id = submitPipeline("p-1", Map.of("step_ms", "300"));
        awaitStep(id, "S2", 1);

        client.pause(id, "hold on");
        SessionOutcome paused = client.await(id, Duration.ofSeconds(60));
        long rowsWhilePaused = runRows();
        client.resume(id, Map.of("note", "go on"));
        SessionOutcome done = client.await(id, Duration.ofSeconds(60));

        assertThat(paused.runStatus()).contains(RunStatus.PAUSED);
        assertThat(rowsWhilePaused).as("a paused session holds no run row").isZero();
        assertThat(done.runStatus()).contains(RunStatus.COMPLETED);
        assertThat(done.finalResponses()).containsExactly(ALL_STEPS);
        assertThat(steps(id)).containsExactly("S1", "S2", "S3", "S4", "S5", "S6");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cancelWaitingAndRunningSessions_bothEndCancelled_leaveNoRows() throws Exception {
        workers.start("w1");
        String waiting = client.submit("asking", "go", Map.of("session_id", "x-wait"));
        assertThat(client.await(waiting, Duration.ofSeconds(60)).runStatus()).contains(RunStatus.WAITING_FOR_USER);
        String running = submitPipeline("x-run", Map.of("step_ms", "300"));
        awaitStep(running, "S2", 1);

        client.cancel(waiting);
        client.cancel(running);
        SessionOutcome first = client.await(waiting, Duration.ofSeconds(60));
        SessionOutcome second = client.await(running, Duration.ofSeconds(60));

        assertThat(first.runStatus()).contains(RunStatus.CANCELLED);
        assertThat(second.runStatus()).contains(RunStatus.CANCELLED);
        assertThat(steps(running)).doesNotContain("S6");
        assertThat(runRows()).isZero();
        assertThat(TestCluster.count(db, "SELECT count(*) FROM " + prefix + "inbox"))
                .isZero();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void submitRetried_afterTheSessionWasStoredButNotWoken_runsIt_butAFinishedIdIsRefused() throws Exception {
        workers.start("w1");
        dev.orchestra4j.state.StateManager manager = new dev.orchestra4j.state.StateManager(
                new dev.orchestra4j.state.JdbcStorageBackend(pool, prefix + "state"));
        TestCluster.instances(manager, pool, prefix, "client")
                .get("pipeline")
                .createSession("go", Map.of("session_id", "r-1", "step_ms", "10")); // stored, no run row

        String id = client.submit("pipeline", "go", Map.of("session_id", "r-1", "step_ms", "10"));
        SessionOutcome done = client.await(id, Duration.ofSeconds(60));

        assertThat(id).isEqualTo("r-1");
        assertThat(done.runStatus()).contains(RunStatus.COMPLETED);
        assertThat(steps(id)).containsExactly("S1", "S2", "S3", "S4", "S5", "S6");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> client.submit("pipeline", "go", Map.of("session_id", "r-1")))
                .isInstanceOf(dev.orchestra4j.core.SessionException.class)
                .hasMessageContaining("'r-1'");
    }
}
