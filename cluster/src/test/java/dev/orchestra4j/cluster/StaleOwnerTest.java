package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario E (fencing): the owner is stopped with SIGSTOP past the dead threshold, another worker takes the session
 * over, then the old owner continues with SIGCONT — and cannot commit anything or run another step.
 */
final class StaleOwnerTest extends ScenarioBase {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void stoppedThenContinuedOwner_cannotCommit_newOwnersTraceIsClean() throws Exception {
        workers.start("w1");
        workers.start("w2");
        String id = submitPipeline("e-1", Map.of("block_at", "S3", "block_ms", "5000"));
        awaitStep(id, "S3", 1);
        String stale = owner(id);
        String other = stale.equals("w1") ? "w2" : "w1";

        workers.get(stale).signal("STOP");
        awaitStep(id, "S3", 2); // the other worker took over after the dead threshold
        TestCluster.awaitTrue("the new owner finished", Duration.ofSeconds(60), () -> client.outcome(id)
                .map(SessionOutcome::isTerminal)
                .orElse(false));
        workers.get(stale).signal("CONT");
        TestCluster.awaitTrue(
                "the stale owner noticed it lost the session", Duration.ofSeconds(30), () -> workers.get(stale)
                        .printed("EVENT OwnershipLost " + id));
        SessionOutcome outcome = client.await(id, Duration.ofSeconds(30));

        assertThat(outcome.runStatus()).contains(RunStatus.COMPLETED);
        assertThat(outcome.finalResponses()).containsExactly(ALL_STEPS);
        assertThat(steps(id)).containsExactly("S1", "S2", "S3", "S3", "S4", "S5", "S6");
        assertThat(calls(id).subList(3, 7))
                .as("everything after the takeover ran on the new owner")
                .allSatisfy(c -> assertThat(c.worker()).isEqualTo(other));
        assertThat(workers.get(other).lines).contains("EVENT SessionRecovered " + id + " " + stale);
    }
}
