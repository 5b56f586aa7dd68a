package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario D: an answer sent from a client node while the session runs on a worker reaches the running leg (NOTIFY)
 * and is applied once; a second answer to the same question is a duplicate; an answer sent right before the owner dies
 * is applied by the next owner.
 */
final class RespondAnywhereTest extends ScenarioBase {

    private String submitFork(String id, String slowMs) {
        return client.submit("fork", "go", Map.of("session_id", id, "slow_ms", slowMs));
    }

    private void awaitQuestionWhileRunning(String id) {
        TestCluster.awaitTrue(
                "'" + id + "' asks while its other branch runs", Duration.ofSeconds(60), () -> client.outcome(id)
                        .map(o -> o.status().equals("RUNNING")
                                && !o.pendingQuestions().isEmpty())
                        .orElse(false));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void respondWhileRunningElsewhere_answerReachesTheRunningLegOnce_duplicateDetected() throws Exception {
        workers.start("w1");
        String id = submitFork("d-1", "4000");
        awaitQuestionWhileRunning(id);
        String question =
                client.outcome(id).orElseThrow().pendingQuestions().getFirst().interactionId();

        ResponseReceipt first = client.respond(id, question, "yes");
        ResponseReceipt again = client.respond(id, question, "no");
        SessionOutcome done = first.nextStop().get(60, TimeUnit.SECONDS);

        assertThat(first.status()).isEqualTo(ResponseReceipt.Status.ACCEPTED);
        assertThat(again.status()).isEqualTo(ResponseReceipt.Status.DUPLICATE);
        assertThat(done.runStatus()).contains(RunStatus.COMPLETED);
        assertThat(done.finalResponses()).containsExactly(java.util.List.of("approved: yes", "slow"));
        assertThat(steps(id).stream().filter("Asker"::equals))
                .as("asked once, answered once")
                .hasSize(2);
        assertThat(steps(id).indexOf("SlowDone"))
                .as("the answer was taken by the running leg, before its slow branch finished")
                .isGreaterThan(steps(id).lastIndexOf("Asker"));
        assertThat(workers.get("w1").count("EVENT LegStarted " + id))
                .as("one leg: the answer did not wait for the session to suspend")
                .isEqualTo(1);
        assertThat(workers.get("w1").lines).contains("EVENT InboxApplied " + id + " ANSWER");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void respondThenOwnerKilled_answerSurvivesAndTheNextOwnerAppliesItOnce() throws Exception {
        workers.start("w1");
        workers.start("w2");
        String id = submitFork("d-2", "3000");
        awaitQuestionWhileRunning(id);
        String owner = owner(id);

        ResponseReceipt receipt = client.respond(id, null, "yes");
        workers.kill(owner);
        SessionOutcome done = receipt.nextStop().get(60, TimeUnit.SECONDS);

        assertThat(receipt.status()).isEqualTo(ResponseReceipt.Status.ACCEPTED);
        assertThat(done.runStatus()).contains(RunStatus.COMPLETED);
        assertThat(done.finalResponses())
                .as("the answer is in the committed result exactly once")
                .containsExactly(java.util.List.of("approved: yes", "slow"));
    }
}
