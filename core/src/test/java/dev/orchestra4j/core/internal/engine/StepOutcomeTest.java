package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step's start, kept as epoch nanoseconds for a step timed on the system clock, or as the instant it was given. */
final class StepOutcomeTest {

    private static final Instant START = Instant.parse("2026-12-04T23:10:00.123456789Z");

    private static StepOutcome fromNanos(long epochNanos) {
        return new StepOutcome(
                "b1",
                1,
                AgentResponse.finish("done"),
                null,
                List.of(),
                null,
                epochNanos,
                500,
                new StepTelemetry(),
                0,
                null,
                Map.of());
    }

    @Test
    void aStartKeptAsEpochNanos_readsAsThatInstant_everyTime_andSurvivesAnInterrupt() {
        long nanos = START.getEpochSecond() * 1_000_000_000L + START.getNano();
        StepOutcome outcome = fromNanos(nanos);

        assertThat(outcome.start()).isEqualTo(START);
        assertThat(outcome.start()).isEqualTo(outcome.start());
        assertThat(outcome.interrupted(StepSlot.REASON_TIMEOUT).start()).isEqualTo(START);
        assertThat(fromNanos(-1).start()).isEqualTo(Instant.EPOCH.minusNanos(1)); // before 1970 too
    }

    @Test
    void aStartGivenAsAnInstant_isThatInstant() {
        Instant far = Instant.MAX; // a test clock may stand anywhere; epoch nanos could not hold this one
        StepOutcome outcome = new StepOutcome(
                "b1", 1, AgentResponse.finish("x"), null, List.of(), far, 7, new StepTelemetry(), 0, null, Map.of());

        assertThat(outcome.start()).isEqualTo(far);
        assertThat(outcome.interrupted(StepSlot.REASON_CANCEL).start()).isEqualTo(far);
    }

    @Test
    void anOutcomeWithoutAStart_isRefused_namingItsBranch() {
        assertThatThrownBy(() -> fromNanos(EventTime.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the outcome of b1 has no start");
    }
}
