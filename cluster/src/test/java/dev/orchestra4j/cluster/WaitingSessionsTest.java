package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scenario C: a hundred sessions waiting for their users hold no run row, survive a worker's death, and resume. */
final class WaitingSessionsTest extends ScenarioBase {

    private static final int SESSIONS = 100;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void hundredWaitingSessions_holdNoRows_survivingWorkerResumesEachOnAnswer() throws Exception {
        workers.start("w1");
        workers.start("w2");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            ids.add(client.submit("asking", "go", Map.of("session_id", "c-" + i)));
        }
        for (String id : ids) {
            assertThat(client.await(id, Duration.ofSeconds(60)).runStatus()).contains(RunStatus.WAITING_FOR_USER);
        }
        assertThat(runRows())
                .as("waiting sessions hold no run row, so no lease and no heartbeat")
                .isZero();

        workers.kill("w1");
        assertThat(runRows()).as("a dead worker leaves nothing to recover").isZero();
        List<ResponseReceipt> receipts = new ArrayList<>();
        for (String id : ids) {
            receipts.add(client.respond(id, null, "yes"));
        }

        for (int i = 0; i < SESSIONS; i++) {
            SessionOutcome done = receipts.get(i).nextStop().get(90, TimeUnit.SECONDS);
            assertThat(receipts.get(i).status()).isEqualTo(ResponseReceipt.Status.ACCEPTED);
            assertThat(done.runStatus()).as(ids.get(i)).contains(RunStatus.COMPLETED);
            assertThat(done.finalResponses()).containsExactly("answered: yes");
            assertThat(steps(ids.get(i))).containsExactly("S1", "Ask", "Ask");
        }
        assertThat(runRows()).isZero();
        assertThat(TestCluster.count(db, "SELECT count(*) FROM " + prefix + "inbox"))
                .as("ended sessions leave no inbox rows")
                .isZero();
    }
}
