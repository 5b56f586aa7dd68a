package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one agent call produced: a response or an error, the agent's memory after the call, and its telemetry — plus
 * what user code said of it, asked where the step ran so that the machine deciding on it runs no user code: the error
 * classifier's verdict on a failure, and the edge conditions (registered predicates) on a reply.
 *
 * @param startInstant when the call began, or null when {@code startEpochNanos} says it (a step timed on the system
 *     clock's monotonic readings: the instant is built only when read, not once per step)
 * @param startEpochNanos when the call began, in nanoseconds since the epoch, when {@code startInstant} is null
 * @param interrupted 0, or the {@link StepSlot} reason the call was interrupted for
 * @param classified the classifier's category and {@code Retry-After} for {@code error}; null when there is no error
 * @param verdicts each registered condition of the node's outgoing edges, tested on a reply's content; empty otherwise
 */
record StepOutcome(
        String branchId,
        long token,
        @Nullable AgentResponse response,
        @Nullable Throwable error,
        List<ChatMessage> memory,
        @Nullable Instant startInstant,
        long startEpochNanos,
        long nanos,
        StepTelemetry telemetry,
        int interrupted,
        @Nullable Classified classified,
        Map<String, Boolean> verdicts) {

    StepOutcome {
        if (startInstant == null && startEpochNanos == EventTime.UNKNOWN) {
            throw new IllegalArgumentException("the outcome of " + branchId + " has no start");
        }
    }

    /** An outcome whose call began at {@code start}. */
    StepOutcome(
            String branchId,
            long token,
            @Nullable AgentResponse response,
            @Nullable Throwable error,
            List<ChatMessage> memory,
            Instant start,
            long nanos,
            StepTelemetry telemetry,
            int interrupted,
            @Nullable Classified classified,
            Map<String, Boolean> verdicts) {
        this(
                branchId,
                token,
                response,
                error,
                memory,
                java.util.Objects.requireNonNull(start, "start"),
                0,
                nanos,
                telemetry,
                interrupted,
                classified,
                verdicts);
    }

    /** When the call began; the same instant each time it is asked for. */
    Instant start() {
        return startInstant != null ? startInstant : Instant.ofEpochSecond(0, startEpochNanos);
    }

    /** The error classifier's verdict on a failed call. */
    record Classified(ErrorCategory category, Optional<Duration> retryAfter) {}

    /** Its slot interrupted it for overrunning its step timeout. */
    boolean timedOut() {
        return interrupted == StepSlot.REASON_TIMEOUT;
    }

    /** Its slot interrupted it because it was cancelled (or the driving thread's owner interrupted it). */
    boolean cancelled() {
        return interrupted == StepSlot.REASON_CANCEL;
    }

    /** The outcome of a call that failed before it could report anything else. */
    static StepOutcome failed(StepRunner.StepCall call, Throwable error, Classified classified, Instant start) {
        return new StepOutcome(
                call.branchId(),
                call.token(),
                null,
                error,
                call.request().memory(),
                start,
                0,
                call.telemetry(),
                0,
                classified,
                Map.of());
    }

    /** The same outcome, interrupted for {@code reason}. */
    StepOutcome interrupted(int reason) {
        return new StepOutcome(
                branchId,
                token,
                response,
                error,
                memory,
                startInstant,
                startEpochNanos,
                nanos,
                telemetry,
                reason,
                classified,
                verdicts);
    }
}
