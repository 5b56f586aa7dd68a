package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trace entry keeps its start and duration as numbers (two objects fewer per step of a running session) and gives
 * back exactly the Instant and Duration it was built with, whatever their range.
 */
final class TraceStepTest {

    private static TraceStep step(Instant start, Duration duration) {
        return TraceStep.builder()
                .index(3)
                .branchId("b1")
                .agent("A")
                .action(TraceStep.Action.INVOKE)
                .targets(List.of("B"))
                .start(start)
                .duration(duration)
                .build();
    }

    @Test
    void startAndDuration_comeBackExactly_acrossTheirWholeRange() {
        List<Instant> starts = List.of(
                Instant.MIN,
                Instant.MAX,
                Instant.EPOCH,
                Instant.parse("2026-12-04T20:00:00.123456789Z"),
                Instant.ofEpochSecond(-1, 999_999_999));
        List<Duration> durations = List.of(
                Duration.ZERO,
                ChronoUnit.FOREVER.getDuration(),
                Duration.ofSeconds(Long.MIN_VALUE),
                Duration.ofNanos(-1),
                Duration.ofNanos(1_500_000_001));
        for (Instant start : starts) {
            for (Duration duration : durations) {
                TraceStep s = step(start, duration);

                assertThat(s.start()).isEqualTo(start);
                assertThat(s.duration()).isEqualTo(duration);
                assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
                assertThat(s.toString()).contains("start=" + start, "duration=" + duration);
            }
        }
    }

    @Test
    void equals_tellsStartsAndDurationsApartByTheNanosecond() {
        Instant t = Instant.parse("2026-12-04T20:00:00Z");
        TraceStep a = step(t, Duration.ofMillis(5));

        assertThat(step(t.plusNanos(1), Duration.ofMillis(5))).isNotEqualTo(a);
        assertThat(step(t, Duration.ofMillis(5).plusNanos(1))).isNotEqualTo(a);
        assertThat(step(t, Duration.ofMillis(5))).isEqualTo(a).hasSameHashCodeAs(a);
    }
}
