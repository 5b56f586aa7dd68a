package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a run's execution trace: an agent step, or an engine decision that a user should see (a timeout, an
 * error route, a user answer). Immutable; the engine builds them with {@link #builder()}.
 */
public final class TraceStep {

    private final int index;
    private final String branchId;
    private final String agent;
    private final Object input;
    private final Action action;
    private final List<String> targets;
    private final Object output;
    /*
     * When it started and how long it took, as numbers: a session keeps its trace in memory while it runs, and an
     * Instant and a Duration per entry were two objects of 24 bytes each. start() and duration() build them.
     */
    private final long startSeconds;
    private final int startNanos;
    private final int durationNanos;
    private final long durationSeconds;
    private final int attempt;
    private final Optional<String> error;
    private final List<ToolCallRecord> toolCalls;
    private final long inputTokens;
    private final long outputTokens;

    private TraceStep(Builder b) {
        this.index = b.index;
        this.branchId = b.branchId;
        this.agent = b.agent;
        this.input = b.input;
        this.action = b.action;
        this.targets = List.copyOf(b.targets);
        this.output = b.output;
        Instant start = requireNonNull(b.start, "start");
        this.startSeconds = start.getEpochSecond();
        this.startNanos = start.getNano();
        this.durationSeconds = b.duration.getSeconds();
        this.durationNanos = b.duration.getNano();
        this.attempt = b.attempt;
        this.error = b.error;
        this.toolCalls = List.copyOf(b.toolCalls);
        this.inputTokens = b.inputTokens;
        this.outputTokens = b.outputTokens;
    }

    /** A builder with every field at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this TraceStep's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Position in the session's trace (0-based, stable across pause/resume). */
    public int index() {
        return index;
    }

    /** The branch it happened on. */
    public String branchId() {
        return branchId;
    }

    /** The agent (node) involved. */
    public String agent() {
        return agent;
    }

    /** What the agent was given, or null. */
    public @Nullable Object input() {
        return input;
    }

    /** What was decided. */
    public Action action() {
        return action;
    }

    /** Where the branch went (agents, End, User), empty when nothing was handed on. */
    public List<String> targets() {
        return targets;
    }

    /** What the step produced (the hand-off request, the answer, the question), or null. */
    public @Nullable Object output() {
        return output;
    }

    /** When it started. */
    public Instant start() {
        return Instant.ofEpochSecond(startSeconds, startNanos);
    }

    /** How long it took. */
    public Duration duration() {
        return Duration.ofSeconds(durationSeconds, durationNanos);
    }

    /** The attempt number (1 unless retried). */
    public int attempt() {
        return attempt;
    }

    /** The failure message, if the step failed. */
    public Optional<String> error() {
        return error;
    }

    /** Regular tool calls made during the step. */
    public List<ToolCallRecord> toolCalls() {
        return toolCalls;
    }

    /** Model input tokens used. */
    public long inputTokens() {
        return inputTokens;
    }

    /** Model output tokens used. */
    public long outputTokens() {
        return outputTokens;
    }

    /** Whether this entry records a failure. */
    public boolean failed() {
        return error.isPresent();
    }

    /** What a trace entry records. */
    public enum Action {
        /** A hand-off to one successor. */
        INVOKE,
        /** A fork into parallel branches. */
        PARALLEL,
        /** A value delivered to the branch's delivery target. */
        FINISH,
        /** A question to the user. */
        ASK_USER,
        /** A reply routed by the topology's edges (one target, several, or End). */
        REPLY,
        /** A failed step. */
        FAIL,
        /** A timeout that fired. */
        TIMEOUT,
        /** A failure routed over an {@code [on error]} edge. */
        ERROR_ROUTE,
        /** The user's answer arrived. */
        USER_ANSWER
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TraceStep that)) {
            return false;
        }
        return index == that.index
                && java.util.Objects.equals(branchId, that.branchId)
                && java.util.Objects.equals(agent, that.agent)
                && java.util.Objects.equals(input, that.input)
                && java.util.Objects.equals(action, that.action)
                && java.util.Objects.equals(targets, that.targets)
                && java.util.Objects.equals(output, that.output)
                && startSeconds == that.startSeconds
                && startNanos == that.startNanos
                && durationSeconds == that.durationSeconds
                && durationNanos == that.durationNanos
                && attempt == that.attempt
                && java.util.Objects.equals(error, that.error)
                && java.util.Objects.equals(toolCalls, that.toolCalls)
                && inputTokens == that.inputTokens
                && outputTokens == that.outputTokens;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                index,
                branchId,
                agent,
                input,
                action,
                targets,
                output,
                start(),
                duration(),
                attempt,
                error,
                toolCalls,
                inputTokens,
                outputTokens);
    }

    @Override
    public String toString() {
        return "TraceStep[" + "index=" + index + ", " + "branchId=" + branchId + ", " + "agent=" + agent + ", "
                + "input=" + input + ", " + "action=" + action + ", " + "targets=" + targets + ", " + "output=" + output
                + ", " + "start=" + start() + ", " + "duration=" + duration() + ", " + "attempt=" + attempt + ", "
                + "error=" + error + ", " + "toolCalls=" + toolCalls + ", " + "inputTokens=" + inputTokens + ", "
                + "outputTokens=" + outputTokens + "]";
    }

    /** Builds a {@link TraceStep}; setters check their argument at once. */
    public static final class Builder {
        private int index;
        private @Nullable String branchId;
        private @Nullable String agent;
        private @Nullable Object input;
        private @Nullable Action action;
        private List<String> targets = List.of();
        private @Nullable Object output;
        private @Nullable Instant start;
        private Duration duration = Duration.ZERO;
        private int attempt = 1;
        private Optional<String> error = Optional.empty();
        private List<ToolCallRecord> toolCalls = List.of();
        private long inputTokens;
        private long outputTokens;

        private Builder() {}

        private Builder(TraceStep v) {
            index = v.index;
            branchId = v.branchId;
            agent = v.agent;
            input = v.input;
            action = v.action;
            targets = v.targets;
            output = v.output;
            start = v.start();
            duration = v.duration();
            attempt = v.attempt;
            error = v.error;
            toolCalls = v.toolCalls;
            inputTokens = v.inputTokens;
            outputTokens = v.outputTokens;
        }

        public Builder index(int value) {
            index = value;
            return this;
        }

        public Builder branchId(String value) {
            branchId = requireNonNull(value, "branchId");
            return this;
        }

        public Builder agent(String value) {
            agent = requireNonNull(value, "agent");
            return this;
        }

        public Builder input(@Nullable Object value) {
            input = value;
            return this;
        }

        public Builder action(Action value) {
            action = requireNonNull(value, "action");
            return this;
        }

        public Builder targets(List<String> value) {
            targets = List.copyOf(value);
            return this;
        }

        public Builder output(@Nullable Object value) {
            output = value;
            return this;
        }

        public Builder start(Instant value) {
            start = requireNonNull(value, "start");
            return this;
        }

        public Builder duration(Duration value) {
            duration = requireNonNull(value, "duration");
            return this;
        }

        public Builder attempt(int value) {
            attempt = value;
            return this;
        }

        public Builder error(Optional<String> value) {
            error = requireNonNull(value, "error");
            return this;
        }

        public Builder toolCalls(List<ToolCallRecord> value) {
            toolCalls = List.copyOf(value);
            return this;
        }

        public Builder inputTokens(long value) {
            inputTokens = value;
            return this;
        }

        public Builder outputTokens(long value) {
            outputTokens = value;
            return this;
        }

        /** Builds the TraceStep; fails naming the first required field that was not set. */
        public TraceStep build() {
            requireSet(branchId, "branchId");
            requireSet(agent, "agent");
            requireSet(action, "action");
            requireSet(start, "start");
            return new TraceStep(this);
        }

        private static void requireSet(@Nullable Object value, String field) {
            if (value == null) {
                throw new IllegalStateException(
                        "TraceStep." + field + " is required: call " + field + "(...) before build()");
            }
        }
    }
}
