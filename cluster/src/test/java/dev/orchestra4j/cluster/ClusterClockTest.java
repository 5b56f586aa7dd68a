package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder's clock is the run table's clock: a submitted session is due at that clock's time. */
final class ClusterClockTest extends ScenarioBase {

    @Test
    void submit_clockInjected_sessionDueAtTheClocksTimeNotTheJvms() {
        Instant later = Instant.parse("2031-01-01T00:00:00Z");
        try (OrchestraCluster clocked = TestCluster.cluster(pool, prefix, "clocked")
                .clock(Clock.fixed(later, ZoneOffset.UTC))
                .build()) {
            String id = clocked.submit("pipeline", "go", Map.of("session_id", "clock-1"));

            assertThat(TestCluster.text(
                            db,
                            "SELECT extract(epoch FROM execution_time)::bigint FROM " + prefix
                                    + "runs WHERE task_instance = '" + id + "'"))
                    .isEqualTo(String.valueOf(later.getEpochSecond()));
        }
    }
}
