package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.AgentResponse;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one agent call produced: a response or an error, the agent's memory after the call, and its telemetry.
 *
 * @param interrupted 0, or the {@link StepSlot} reason the call was interrupted for
 */
record StepOutcome(
        String branchId,
        long token,
        @Nullable AgentResponse response,
        @Nullable Throwable error,
        List<ChatMessage> memory,
        Instant start,
        long nanos,
        StepTelemetry telemetry,
        int interrupted) {

    /** Its slot interrupted it for overrunning its step timeout. */
    boolean timedOut() {
        return interrupted == StepSlot.REASON_TIMEOUT;
    }

    /** Its slot interrupted it because it was cancelled (or the driving thread's owner interrupted it). */
    boolean cancelled() {
        return interrupted == StepSlot.REASON_CANCEL;
    }

    /** The outcome of a call that failed before it could report anything else. */
    static StepOutcome failed(StepRunner.StepCall call, Throwable error) {
        return new StepOutcome(
                call.branchId(),
                call.token(),
                null,
                error,
                call.request().memory(),
                Instant.EPOCH,
                0,
                call.telemetry(),
                0);
    }
}
