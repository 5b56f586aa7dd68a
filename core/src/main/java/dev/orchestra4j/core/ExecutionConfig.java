package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits, timeouts and convergence settings of a session (SPEC §4.5); every knob is enforced. Immutable: build one
 * with {@link #builder()}, derive a variant with {@link #toBuilder()}.
 *
 * <p>{@code stepTimeout} is how long one agent call may take before it is interrupted (a retryable TIMEOUT failure);
 * {@code toolTimeout} how long one regular tool call inside an LLM step may take before the model gets an error
 * result; {@code branchTimeout} how long a branch may live before it becomes TIMED_OUT and fails into its barrier;
 * {@code convergenceTimeout} how long a barrier waits before applying its policy to what has arrived;
 * {@code userInteractionTimeout} how long a question to the user may stay unanswered; {@code runTimeout} the whole-run
 * deadline, if any (a topology {@code timeout(S)} rule sets one too); {@code maxConcurrentSteps} the most agent calls
 * in flight per session (more wait in a queue, none is dropped); {@code convergencePolicy} the default policy of every
 * barrier (a node may override it); {@code steeringRetries} how often an invalid coordination call is re-prompted
 * before the step fails; {@code contentOnlySteeringThreshold} content-only LLM answers in a row before steering starts;
 * {@code contentOnlyHardLimit} content-only LLM answers in a row that fail the branch; {@code status} live console
 * progress; {@code dynamicConvergenceEnabled} whether rendezvous are found from the graph (MARSYS
 * {@code dynamic_convergence_enabled}, default {@code true}: an {@code AUTO} node fed by two one-way paths waits for
 * both; with {@code false} only nodes marked {@code FORCE} or named by a {@code convergence_point} rule wait, and every
 * other node lets each arrival pass through on its own); {@code steeringMode} when agents are re-prompted after an
 * invalid coordination decision (MARSYS {@code steering_mode}; see {@link SteeringMode}).
 */
public final class ExecutionConfig {

    private static final ExecutionConfig DEFAULTS = builder().build();

    private final Duration stepTimeout;
    private final Duration toolTimeout;
    private final Duration branchTimeout;
    private final Duration convergenceTimeout;
    private final Duration userInteractionTimeout;
    private final Optional<Duration> runTimeout;
    private final int maxConcurrentSteps;
    private final ConvergencePolicy convergencePolicy;
    private final int steeringRetries;
    private final int contentOnlySteeringThreshold;
    private final int contentOnlyHardLimit;
    private final StatusConfig status;
    private final boolean dynamicConvergenceEnabled;
    private final SteeringMode steeringMode;

    private ExecutionConfig(Builder b) {
        if (b.contentOnlyHardLimit <= b.contentOnlySteeringThreshold) {
            throw new IllegalArgumentException(
                    "contentOnlyHardLimit must be greater than contentOnlySteeringThreshold ("
                            + b.contentOnlySteeringThreshold + "), was " + b.contentOnlyHardLimit);
        }
        stepTimeout = b.stepTimeout;
        toolTimeout = b.toolTimeout;
        branchTimeout = b.branchTimeout;
        convergenceTimeout = b.convergenceTimeout;
        userInteractionTimeout = b.userInteractionTimeout;
        runTimeout = b.runTimeout;
        maxConcurrentSteps = b.maxConcurrentSteps;
        convergencePolicy = b.convergencePolicy;
        steeringRetries = b.steeringRetries;
        contentOnlySteeringThreshold = b.contentOnlySteeringThreshold;
        contentOnlyHardLimit = b.contentOnlyHardLimit;
        status = b.status;
        dynamicConvergenceEnabled = b.dynamicConvergenceEnabled;
        steeringMode = b.steeringMode;
    }

    /** The steering retries that apply: {@link #steeringRetries()}, or 0 under {@link SteeringMode#NEVER}. */
    public int effectiveSteeringRetries() {
        return steeringMode == SteeringMode.NEVER ? 0 : steeringRetries;
    }

    public static ExecutionConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** How long one agent call may take before it is interrupted (default 10 min). */
    public Duration stepTimeout() {
        return stepTimeout;
    }

    /** How long one regular tool call inside an LLM step may take (default 2 min). */
    public Duration toolTimeout() {
        return toolTimeout;
    }

    /** How long a branch may live before it becomes TIMED_OUT (default 30 min). */
    public Duration branchTimeout() {
        return branchTimeout;
    }

    /** How long a barrier waits after its first arrival before applying its policy (default 5 min). */
    public Duration convergenceTimeout() {
        return convergenceTimeout;
    }

    /** How long a question to the user may stay unanswered (default 5 min). */
    public Duration userInteractionTimeout() {
        return userInteractionTimeout;
    }

    /** The whole-run deadline, if any. */
    public Optional<Duration> runTimeout() {
        return runTimeout;
    }

    /** The most agent calls in flight per session (default 64). */
    public int maxConcurrentSteps() {
        return maxConcurrentSteps;
    }

    /** The default policy of every barrier (default {@link ConvergencePolicy#STRICT}). */
    public ConvergencePolicy convergencePolicy() {
        return convergencePolicy;
    }

    /** How often an invalid coordination call is re-prompted before the step fails (default 3). */
    public int steeringRetries() {
        return steeringRetries;
    }

    /** Content-only LLM answers in a row before steering starts (default 2). */
    public int contentOnlySteeringThreshold() {
        return contentOnlySteeringThreshold;
    }

    /** Content-only LLM answers in a row that fail the branch (default 10). */
    public int contentOnlyHardLimit() {
        return contentOnlyHardLimit;
    }

    /** Live console progress (disabled by default). */
    public StatusConfig status() {
        return status;
    }

    /** Whether rendezvous are detected from the graph (default true); see the class documentation. */
    public boolean dynamicConvergenceEnabled() {
        return dynamicConvergenceEnabled;
    }

    /** When agents are steered back onto their coordination options (default {@link SteeringMode#AUTO}). */
    public SteeringMode steeringMode() {
        return steeringMode;
    }

    @Override
    public String toString() {
        return "ExecutionConfig[stepTimeout=" + stepTimeout + ", toolTimeout=" + toolTimeout + ", branchTimeout="
                + branchTimeout + ", convergenceTimeout=" + convergenceTimeout + ", userInteractionTimeout="
                + userInteractionTimeout + ", runTimeout=" + runTimeout + ", maxConcurrentSteps=" + maxConcurrentSteps
                + ", convergencePolicy=" + convergencePolicy + ", steeringRetries=" + steeringRetries
                + ", contentOnlySteeringThreshold=" + contentOnlySteeringThreshold + ", contentOnlyHardLimit="
                + contentOnlyHardLimit + ", status=" + status + ", dynamicConvergenceEnabled="
                + dynamicConvergenceEnabled
                + ", steeringMode=" + steeringMode + "]";
    }

    private static void requirePositive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Builds an {@link ExecutionConfig}; every setter validates its argument at once. */
    public static final class Builder {
        private Duration stepTimeout = Duration.ofMinutes(10);
        private Duration toolTimeout = Duration.ofMinutes(2);
        private Duration branchTimeout = Duration.ofMinutes(30);
        private Duration convergenceTimeout = Duration.ofMinutes(5);
        private Duration userInteractionTimeout = Duration.ofMinutes(5);
        private Optional<Duration> runTimeout = Optional.empty();
        private int maxConcurrentSteps = 64;
        private ConvergencePolicy convergencePolicy = ConvergencePolicy.STRICT;
        private int steeringRetries = 3;
        private int contentOnlySteeringThreshold = 2;
        private int contentOnlyHardLimit = 10;
        private StatusConfig status = StatusConfig.disabled();
        private boolean dynamicConvergenceEnabled = true;
        private SteeringMode steeringMode = SteeringMode.AUTO;

        private Builder() {}

        private Builder(ExecutionConfig c) {
            stepTimeout = c.stepTimeout;
            toolTimeout = c.toolTimeout;
            branchTimeout = c.branchTimeout;
            convergenceTimeout = c.convergenceTimeout;
            userInteractionTimeout = c.userInteractionTimeout;
            runTimeout = c.runTimeout;
            maxConcurrentSteps = c.maxConcurrentSteps;
            convergencePolicy = c.convergencePolicy;
            steeringRetries = c.steeringRetries;
            contentOnlySteeringThreshold = c.contentOnlySteeringThreshold;
            contentOnlyHardLimit = c.contentOnlyHardLimit;
            status = c.status;
            dynamicConvergenceEnabled = c.dynamicConvergenceEnabled;
            steeringMode = c.steeringMode;
        }

        public Builder stepTimeout(Duration value) {
            requirePositive("stepTimeout", value);
            stepTimeout = value;
            return this;
        }

        public Builder toolTimeout(Duration value) {
            requirePositive("toolTimeout", value);
            toolTimeout = value;
            return this;
        }

        public Builder branchTimeout(Duration value) {
            requirePositive("branchTimeout", value);
            branchTimeout = value;
            return this;
        }

        public Builder convergenceTimeout(Duration value) {
            requirePositive("convergenceTimeout", value);
            convergenceTimeout = value;
            return this;
        }

        public Builder userInteractionTimeout(Duration value) {
            requirePositive("userInteractionTimeout", value);
            userInteractionTimeout = value;
            return this;
        }

        public Builder runTimeout(Duration value) {
            requirePositive("runTimeout", value);
            runTimeout = Optional.of(value);
            return this;
        }

        public Builder maxConcurrentSteps(int value) {
            requirePositive("maxConcurrentSteps", value);
            maxConcurrentSteps = value;
            return this;
        }

        public Builder convergencePolicy(ConvergencePolicy value) {
            convergencePolicy = requireNonNull(value, "convergencePolicy");
            return this;
        }

        public Builder steeringRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("steeringRetries must not be negative, was " + value);
            }
            steeringRetries = value;
            return this;
        }

        public Builder contentOnlySteeringThreshold(int value) {
            requirePositive("contentOnlySteeringThreshold", value);
            contentOnlySteeringThreshold = value;
            return this;
        }

        public Builder contentOnlyHardLimit(int value) {
            requirePositive("contentOnlyHardLimit", value);
            contentOnlyHardLimit = value;
            return this;
        }

        public Builder status(StatusConfig value) {
            status = requireNonNull(value, "status");
            return this;
        }

        /** Whether rendezvous are detected from the graph (default true); see the class documentation. */
        public Builder dynamicConvergenceEnabled(boolean value) {
            dynamicConvergenceEnabled = value;
            return this;
        }

        /** When agents are steered back onto their coordination options (default {@link SteeringMode#AUTO}). */
        public Builder steeringMode(SteeringMode value) {
            steeringMode = requireNonNull(value, "steeringMode");
            return this;
        }

        public Builder verbosity(Verbosity value) {
            return status(StatusConfig.fromVerbosity(value));
        }

        /** Builds the config; fails when {@code contentOnlyHardLimit <= contentOnlySteeringThreshold}. */
        public ExecutionConfig build() {
            return new ExecutionConfig(this);
        }
    }
}
