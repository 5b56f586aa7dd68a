package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario I (stale cache, core C1): worker 1 runs leg 1, worker 2 runs leg 2, and leg 3 is forced back onto worker 1
 * (the other one is stopped), which must claim the session from storage, not from what it saw in leg 1.
 */
final class StaleCacheTest extends ScenarioBase {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void legThreeBackOnTheFirstWorker_claimsFromStorageAndCompletes() throws Exception {
        Workers.Worker w1 = workers.start("w1");
        String id = client.submit("asking", "go", Map.of("session_id", "i-1"));
        assertThat(client.await(id, Duration.ofSeconds(60)).runStatus()).contains(RunStatus.WAITING_FOR_USER);

        Workers.Worker w2 = workers.start("w2");
        w1.signal("STOP");
        SessionOutcome second = client.respond(id, null, "a1").nextStop().get(60, TimeUnit.SECONDS);
        w1.signal("CONT");
        w2.signal("STOP");
        SessionOutcome third = client.respond(id, null, "a2").nextStop().get(60, TimeUnit.SECONDS);
        w2.signal("CONT");

        assertThat(second.runStatus()).contains(RunStatus.WAITING_FOR_USER);
        assertThat(second.pendingQuestions().getFirst().question()).isEqualTo("q2");
        assertThat(third.runStatus()).contains(RunStatus.COMPLETED);
        assertThat(third.finalResponses()).containsExactly("answered: a2");
        assertThat(w1.count("EVENT LegStarted " + id)).as("legs 1 and 3").isEqualTo(2);
        assertThat(w2.count("EVENT LegStarted " + id)).as("leg 2").isEqualTo(1);
        assertThat(calls(id)).extracting(TestCluster.Call::worker).containsExactly("w1", "w1", "w2", "w1");
    }
}
