package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario G: every database connection of the only worker is terminated again and again for two seconds while it
 * runs a session (pg_terminate_backend). The session must not end FAILED: legs fail with the storage error and are
 * retried, or continue.
 */
final class DatabaseBlipTest extends ScenarioBase {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void workerConnectionsTerminatedRepeatedly_sessionStillCompletes_noStepCommittedTwice() throws Exception {
        workers.start("w1");
        String id = submitPipeline("g-1", Map.of("step_ms", "250"));
        awaitStep(id, "S2", 1);

        long terminated = 0;
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            terminated += TestCluster.count(
                    db,
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '" + prefix
                            + "w1'");
        }
        SessionOutcome outcome = client.await(id, Duration.ofSeconds(90));

        assertThat(terminated).as("connections of the worker were cut").isPositive();
        assertThat(outcome.runStatus()).as("a blip fails no session").contains(RunStatus.COMPLETED);
        assertThat(outcome.finalResponses()).as("each committed step once").containsExactly(ALL_STEPS);
    }
}
