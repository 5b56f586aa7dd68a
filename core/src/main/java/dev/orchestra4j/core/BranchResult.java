package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** How one branch of a session ended: its status, what it delivered, where it went and its trace. */
public final class BranchResult {

    private final String branchId;
    private final String parentBranchId;
    private final BranchStatus status;
    private final Object output;
    private final List<String> agents;
    private final int steps;
    private final Duration duration;
    private final Optional<String> error;
    private final List<TraceStep> trace;

    private BranchResult(Builder b) {
        this.branchId = b.branchId;
        this.parentBranchId = b.parentBranchId;
        this.status = b.status;
        this.output = b.output;
        this.agents = List.copyOf(b.agents);
        this.steps = b.steps;
        this.duration = b.duration;
        this.error = b.error;
        this.trace = List.copyOf(b.trace);
    }

    /** A builder with every field at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this BranchResult's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The branch id (unique in the session). */
    public String branchId() {
        return branchId;
    }

    /** The branch that caused it (the forking branch, or the first arrival of a rendezvous), or null for a root branch. */
    public @Nullable String parentBranchId() {
        return parentBranchId;
    }

    /** Its final status. */
    public BranchStatus status() {
        return status;
    }

    /** What the branch delivered (not its last input), or null when it delivered nothing. */
    public @Nullable Object output() {
        return output;
    }

    /** The agents it visited, in order. */
    public List<String> agents() {
        return agents;
    }

    /** How many steps it ran. */
    public int steps() {
        return steps;
    }

    /** How long it lived. */
    public Duration duration() {
        return duration;
    }

    /** Why it failed, timed out or was abandoned. */
    public Optional<String> error() {
        return error;
    }

    /** Its steps. */
    public List<TraceStep> trace() {
        return trace;
    }

    /** Whether the branch completed (delivered its work). */
    public boolean success() {
        return status == BranchStatus.COMPLETED;
    }

    /**
     * The branch's output converted to {@code type} through Jackson (a Map to a record, a number to another number
     * type, …).
     *
     * @throws IllegalStateException when the branch delivered nothing
     * @throws IllegalArgumentException naming the branch when the output cannot be converted
     */
    public <T> T output(Class<T> type) {
        if (output == null) {
            throw new IllegalStateException("branch '" + branchId + "' delivered no output");
        }
        return TypedValues.convert(output, type, "output of branch '" + branchId + "'");
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BranchResult that)) {
            return false;
        }
        return java.util.Objects.equals(branchId, that.branchId)
                && java.util.Objects.equals(parentBranchId, that.parentBranchId)
                && java.util.Objects.equals(status, that.status)
                && java.util.Objects.equals(output, that.output)
                && java.util.Objects.equals(agents, that.agents)
                && steps == that.steps
                && java.util.Objects.equals(duration, that.duration)
                && java.util.Objects.equals(error, that.error)
                && java.util.Objects.equals(trace, that.trace);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(branchId, parentBranchId, status, output, agents, steps, duration, error, trace);
    }

    @Override
    public String toString() {
        return "BranchResult[" + "branchId=" + branchId + ", " + "parentBranchId=" + parentBranchId + ", " + "status="
                + status + ", " + "output=" + output + ", " + "agents=" + agents + ", " + "steps=" + steps + ", "
                + "duration=" + duration + ", " + "error=" + error + ", " + "trace=" + trace + "]";
    }

    /** Builds a {@link BranchResult}; setters check their argument at once. */
    public static final class Builder {
        private @Nullable String branchId;
        private @Nullable String parentBranchId;
        private @Nullable BranchStatus status;
        private @Nullable Object output;
        private List<String> agents = List.of();
        private int steps;
        private Duration duration = Duration.ZERO;
        private Optional<String> error = Optional.empty();
        private List<TraceStep> trace = List.of();

        private Builder() {}

        private Builder(BranchResult v) {
            branchId = v.branchId;
            parentBranchId = v.parentBranchId;
            status = v.status;
            output = v.output;
            agents = v.agents;
            steps = v.steps;
            duration = v.duration;
            error = v.error;
            trace = v.trace;
        }

        public Builder branchId(String value) {
            branchId = requireNonNull(value, "branchId");
            return this;
        }

        public Builder parentBranchId(@Nullable String value) {
            parentBranchId = value;
            return this;
        }

        public Builder status(BranchStatus value) {
            status = requireNonNull(value, "status");
            return this;
        }

        public Builder output(@Nullable Object value) {
            output = value;
            return this;
        }

        public Builder agents(List<String> value) {
            agents = List.copyOf(value);
            return this;
        }

        public Builder steps(int value) {
            steps = value;
            return this;
        }

        public Builder duration(Duration value) {
            duration = requireNonNull(value, "duration");
            return this;
        }

        public Builder error(Optional<String> value) {
            error = requireNonNull(value, "error");
            return this;
        }

        public Builder trace(List<TraceStep> value) {
            trace = List.copyOf(value);
            return this;
        }

        /** Builds the BranchResult; fails naming the first required field that was not set. */
        public BranchResult build() {
            requireSet(branchId, "branchId");
            requireSet(status, "status");
            return new BranchResult(this);
        }

        private static void requireSet(@Nullable Object value, String field) {
            if (value == null) {
                throw new IllegalStateException(
                        "BranchResult." + field + " is required: call " + field + "(...) before build()");
            }
        }
    }
}
