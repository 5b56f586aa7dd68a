package dev.orchestra4j.core.replay;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.ToolCallRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One agent step as its session's recording holds it: who ran, on what input, what it decided, and every model and
 * tool call it made.
 *
 * @param step the session-wide step number (1-based)
 * @param attempt the attempt (1 unless the step was retried)
 * @param branchId the branch it ran on
 * @param agent the agent's node name
 * @param input what the agent received
 * @param action what it decided: {@code handoff}, {@code parallel}, {@code finish}, {@code ask_user}, {@code reply},
 *     {@code fail}, or {@code error} when it threw
 * @param targets the agents it handed off to or forked (empty otherwise)
 * @param output its answer, reply content, hand-off request (a list of them for a fork), question or failure reason
 * @param error the exception's message when the step threw
 * @param start when the step started
 * @param duration how long it took
 * @param modelCalls its model calls, in order
 * @param toolCalls its regular tool calls, in order
 * @param copiedFrom for a fork, the session the step was copied from instead of being run again
 */
public record RecordedStep(
        int step,
        int attempt,
        String branchId,
        String agent,
        @Nullable Object input,
        String action,
        List<String> targets,
        @Nullable Object output,
        Optional<String> error,
        Instant start,
        Duration duration,
        List<ModelCall> modelCalls,
        List<ToolCallRecord> toolCalls,
        Optional<String> copiedFrom) {

    public RecordedStep {
        requireNonNull(branchId, "branchId");
        requireNonNull(agent, "agent");
        requireNonNull(action, "action");
        targets = List.copyOf(targets);
        requireNonNull(error, "error");
        requireNonNull(start, "start");
        requireNonNull(duration, "duration");
        modelCalls = List.copyOf(modelCalls);
        toolCalls = List.copyOf(toolCalls);
        requireNonNull(copiedFrom, "copiedFrom");
    }

    /** The input tokens of all its model calls. */
    public long inputTokens() {
        return modelCalls.stream().mapToLong(ModelCall::inputTokens).sum();
    }

    /** The output tokens of all its model calls. */
    public long outputTokens() {
        return modelCalls.stream().mapToLong(ModelCall::outputTokens).sum();
    }
}
