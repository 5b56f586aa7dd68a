package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a run's execution trace: an agent step, or an engine decision that a user should see (a timeout, an
 * error route, a user answer).
 *
 * @param index position in the session's trace (0-based, stable across pause/resume)
 * @param branchId the branch it happened on
 * @param agent the agent (node) involved
 * @param input what the agent was given
 * @param action what was decided
 * @param targets where the branch went (agents, End, User), empty when nothing was handed on
 * @param output what the step produced (the hand-off request, the answer, the question), or null
 * @param start when it started
 * @param duration how long it took
 * @param attempt the attempt number (1 unless retried)
 * @param error the failure message, if the step failed
 * @param toolCalls regular tool calls made during the step
 * @param inputTokens model input tokens used
 * @param outputTokens model output tokens used
 */
public record TraceStep(
        int index,
        String branchId,
        String agent,
        @Nullable Object input,
        Action action,
        List<String> targets,
        @Nullable Object output,
        Instant start,
        Duration duration,
        int attempt,
        Optional<String> error,
        List<ToolCallRecord> toolCalls,
        long inputTokens,
        long outputTokens) {

    public TraceStep {
        requireNonNull(branchId, "branchId");
        requireNonNull(agent, "agent");
        requireNonNull(action, "action");
        targets = List.copyOf(targets);
        requireNonNull(start, "start");
        requireNonNull(duration, "duration");
        requireNonNull(error, "error");
        toolCalls = List.copyOf(toolCalls);
    }

    /** Whether this entry records a failure. */
    public boolean failed() {
        return error.isPresent();
    }

    /** What a trace entry records. */
    public enum Action {
        INVOKE,
        PARALLEL,
        FINISH,
        ASK_USER,
        REPLY,
        FAIL,
        TIMEOUT,
        ERROR_ROUTE,
        USER_ANSWER
    }
}
