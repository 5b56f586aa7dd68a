package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Counters of one session, summed over all its legs (resumes and follow-ups already included). Immutable; the engine
 * builds them with {@link #builder()}.
 */
public final class RunMetrics {

    private final int steps;
    private final int branches;
    private final Map<String, Integer> invocations;
    private final int retries;
    private final int timeouts;
    private final long inputTokens;
    private final long outputTokens;
    private final Duration wallTime;
    private final Duration busyTime;

    private RunMetrics(Builder b) {
        this.steps = b.steps;
        this.branches = b.branches;
        this.invocations = Map.copyOf(b.invocations);
        this.retries = b.retries;
        this.timeouts = b.timeouts;
        this.inputTokens = b.inputTokens;
        this.outputTokens = b.outputTokens;
        this.wallTime = b.wallTime;
        this.busyTime = b.busyTime;
    }

    /** A builder with every field at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this RunMetrics's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Agent steps (retries included). */
    public int steps() {
        return steps;
    }

    /** Branches created. */
    public int branches() {
        return branches;
    }

    /** Agent steps per agent. */
    public Map<String, Integer> invocations() {
        return invocations;
    }

    /** Retried attempts. */
    public int retries() {
        return retries;
    }

    /** Timeouts that fired. */
    public int timeouts() {
        return timeouts;
    }

    /** Model input tokens. */
    public long inputTokens() {
        return inputTokens;
    }

    /** Model output tokens. */
    public long outputTokens() {
        return outputTokens;
    }

    /** Elapsed time of the session, over all its legs. */
    public Duration wallTime() {
        return wallTime;
    }

    /** Summed duration of all agent steps (greater than wall time when branches ran in parallel). */
    public Duration busyTime() {
        return busyTime;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RunMetrics that)) {
            return false;
        }
        return steps == that.steps
                && branches == that.branches
                && java.util.Objects.equals(invocations, that.invocations)
                && retries == that.retries
                && timeouts == that.timeouts
                && inputTokens == that.inputTokens
                && outputTokens == that.outputTokens
                && java.util.Objects.equals(wallTime, that.wallTime)
                && java.util.Objects.equals(busyTime, that.busyTime);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                steps, branches, invocations, retries, timeouts, inputTokens, outputTokens, wallTime, busyTime);
    }

    @Override
    public String toString() {
        return "RunMetrics[" + "steps=" + steps + ", " + "branches=" + branches + ", " + "invocations=" + invocations
                + ", " + "retries=" + retries + ", " + "timeouts=" + timeouts + ", " + "inputTokens=" + inputTokens
                + ", " + "outputTokens=" + outputTokens + ", " + "wallTime=" + wallTime + ", " + "busyTime=" + busyTime
                + "]";
    }

    /** Builds a {@link RunMetrics}; setters check their argument at once. */
    public static final class Builder {
        private int steps;
        private int branches;
        private Map<String, Integer> invocations = Map.of();
        private int retries;
        private int timeouts;
        private long inputTokens;
        private long outputTokens;
        private Duration wallTime = Duration.ZERO;
        private Duration busyTime = Duration.ZERO;

        private Builder() {}

        private Builder(RunMetrics v) {
            steps = v.steps;
            branches = v.branches;
            invocations = v.invocations;
            retries = v.retries;
            timeouts = v.timeouts;
            inputTokens = v.inputTokens;
            outputTokens = v.outputTokens;
            wallTime = v.wallTime;
            busyTime = v.busyTime;
        }

        public Builder steps(int value) {
            steps = value;
            return this;
        }

        public Builder branches(int value) {
            branches = value;
            return this;
        }

        public Builder invocations(Map<String, Integer> value) {
            invocations = Map.copyOf(value);
            return this;
        }

        public Builder retries(int value) {
            retries = value;
            return this;
        }

        public Builder timeouts(int value) {
            timeouts = value;
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

        public Builder wallTime(Duration value) {
            wallTime = requireNonNull(value, "wallTime");
            return this;
        }

        public Builder busyTime(Duration value) {
            busyTime = requireNonNull(value, "busyTime");
            return this;
        }

        /** Builds the RunMetrics; fails naming the first required field that was not set. */
        public RunMetrics build() {
            return new RunMetrics(this);
        }

        private static void requireSet(@Nullable Object value, String field) {
            if (value == null) {
                throw new IllegalStateException(
                        "RunMetrics." + field + " is required: call " + field + "(...) before build()");
            }
        }
    }
}
