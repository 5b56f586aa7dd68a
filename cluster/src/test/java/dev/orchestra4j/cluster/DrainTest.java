package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.cluster.TestCluster.Call;
import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scenario F: SIGTERM drains the owner: its step completes, the session continues elsewhere, nothing runs twice. */
final class DrainTest extends ScenarioBase {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sigtermOwnerMidStep_handsOverAtTheStepBoundary_zeroReexecutedSteps() throws Exception {
        workers.start("w1");
        workers.start("w2");
        String id = submitPipeline("f-1", Map.of("step_ms", "700"));
        awaitStep(id, "S2", 1);
        String owner = owner(id);

        workers.get(owner).signal("TERM");
        assertThat(workers.get(owner).process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        SessionOutcome outcome = client.await(id, Duration.ofSeconds(60));

        assertThat(workers.get(owner).lines).contains("DRAINED", "EVENT LegReleased " + id + " HANDED_OVER");
        assertThat(outcome.runStatus()).contains(RunStatus.COMPLETED);
        assertThat(outcome.finalResponses()).containsExactly(ALL_STEPS);
        assertThat(steps(id)).as("zero re-executed steps").containsExactly("S1", "S2", "S3", "S4", "S5", "S6");
        assertThat(calls(id).getLast())
                .extracting(Call::worker)
                .as("the session finished on the other worker")
                .isNotEqualTo(owner);
    }
}
