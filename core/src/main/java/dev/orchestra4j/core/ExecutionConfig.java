package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits, timeouts and convergence for a session (SPEC §4.5). Every knob is enforced.
 *
 * @param stepTimeout how long one agent call may take before it is interrupted (a retryable TIMEOUT failure)
 * @param toolTimeout how long one regular tool call inside an LLM step may take before the model gets an error result
 * @param branchTimeout how long a branch may live before it becomes TIMED_OUT and fails into its barrier
 * @param convergenceTimeout how long a barrier waits before applying its policy to what has arrived
 * @param userInteractionTimeout how long a question to the user may stay unanswered
 * @param runTimeout the whole-run deadline, if any (a topology {@code timeout(S)} rule sets one too)
 * @param maxConcurrentSteps most agent calls in flight per session; more wait in a queue, none is dropped
 * @param convergencePolicy the default policy of every barrier (a node may override it)
 * @param steeringRetries how often an invalid coordination call is re-prompted before the step fails
 * @param contentOnlySteeringThreshold content-only LLM answers in a row before steering starts
 * @param contentOnlyHardLimit content-only LLM answers in a row that fail the branch
 * @param status live console progress
 * @param dynamicConvergenceEnabled whether rendezvous are found from the graph (MARSYS
 *     {@code dynamic_convergence_enabled}, default {@code true}): an {@code AUTO} node fed by two one-way paths waits
 *     for both. With {@code false} only nodes marked {@code FORCE} or named by a {@code convergence_point} rule wait;
 *     every other node lets each arrival pass through on its own
 * @param steeringMode when agents are re-prompted after an invalid coordination decision (MARSYS
 *     {@code steering_mode}); see {@link SteeringMode}
 */
public record ExecutionConfig(
        Duration stepTimeout,
        Duration toolTimeout,
        Duration branchTimeout,
        Duration convergenceTimeout,
        Duration userInteractionTimeout,
        Optional<Duration> runTimeout,
        int maxConcurrentSteps,
        ConvergencePolicy convergencePolicy,
        int steeringRetries,
        int contentOnlySteeringThreshold,
        int contentOnlyHardLimit,
        StatusConfig status,
        boolean dynamicConvergenceEnabled,
        SteeringMode steeringMode) {

    private static final ExecutionConfig DEFAULTS = builder().build();

    public ExecutionConfig {
        requirePositive("stepTimeout", stepTimeout);
        requirePositive("toolTimeout", toolTimeout);
        requirePositive("branchTimeout", branchTimeout);
        requirePositive("convergenceTimeout", convergenceTimeout);
        requirePositive("userInteractionTimeout", userInteractionTimeout);
        requireNonNull(runTimeout, "runTimeout");
        runTimeout.ifPresent(d -> requirePositive("runTimeout", d));
        requirePositive("maxConcurrentSteps", maxConcurrentSteps);
        requireNonNull(convergencePolicy, "convergencePolicy");
        if (steeringRetries < 0) {
            throw new IllegalArgumentException("steeringRetries must not be negative, was " + steeringRetries);
        }
        requirePositive("contentOnlySteeringThreshold", contentOnlySteeringThreshold);
        if (contentOnlyHardLimit <= contentOnlySteeringThreshold) {
            throw new IllegalArgumentException(
                    "contentOnlyHardLimit must be greater than contentOnlySteeringThreshold ("
                            + contentOnlySteeringThreshold + "), was " + contentOnlyHardLimit);
        }
        requireNonNull(status, "status");
        requireNonNull(steeringMode, "steeringMode");
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

        /** Whether rendezvous are detected from the graph (default true); see the record's documentation. */
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

        public ExecutionConfig build() {
            return new ExecutionConfig(
                    stepTimeout,
                    toolTimeout,
                    branchTimeout,
                    convergenceTimeout,
                    userInteractionTimeout,
                    runTimeout,
                    maxConcurrentSteps,
                    convergencePolicy,
                    steeringRetries,
                    contentOnlySteeringThreshold,
                    contentOnlyHardLimit,
                    status,
                    dynamicConvergenceEnabled,
                    steeringMode);
        }
    }
}
