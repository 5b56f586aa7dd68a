package dev.orchestra4j.spring;

import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.Verbosity;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** {@code orchestra4j.execution.*}: the {@link ExecutionConfig} of every session. Unset properties keep core's default. */
public class ExecutionProperties {

    /** How long one agent call may take before it is interrupted (default 10m). */
    private @Nullable Duration stepTimeout;
    /** How long one regular tool call inside an LLM step may take (default 2m). */
    private @Nullable Duration toolTimeout;
    /** How long a branch may live before it becomes TIMED_OUT (default 30m). */
    private @Nullable Duration branchTimeout;
    /** How long a barrier waits after its first arrival before applying its policy (default 5m). */
    private @Nullable Duration convergenceTimeout;
    /** How long a question to the user may stay unanswered (default 5m). */
    private @Nullable Duration userInteractionTimeout;
    /** Whole-run deadline; unset means none. */
    private @Nullable Duration runTimeout;
    /** Most agent calls in flight per session (default 64). */
    private @Nullable Integer maxConcurrentSteps;
    /** Default convergence policy of every barrier: strict, majority or any (default strict). */
    private @Nullable String convergencePolicy;
    /** How often an invalid coordination call is re-prompted before the step fails (default 3). */
    private @Nullable Integer steeringRetries;
    /** Content-only LLM answers in a row before steering starts (default 2). */
    private @Nullable Integer contentOnlySteeringThreshold;
    /** Content-only LLM answers in a row that fail the branch (default 10). */
    private @Nullable Integer contentOnlyHardLimit;
    /** Live console progress: quiet, normal or verbose (default: none). */
    private @Nullable Verbosity verbosity;

    ExecutionConfig toConfig(Problems problems) {
        ExecutionConfig.Builder b = ExecutionConfig.builder();
        problems.set("step-timeout", stepTimeout, b::stepTimeout);
        problems.set("tool-timeout", toolTimeout, b::toolTimeout);
        problems.set("branch-timeout", branchTimeout, b::branchTimeout);
        problems.set("convergence-timeout", convergenceTimeout, b::convergenceTimeout);
        problems.set("user-interaction-timeout", userInteractionTimeout, b::userInteractionTimeout);
        problems.set("run-timeout", runTimeout, b::runTimeout);
        problems.set("max-concurrent-steps", maxConcurrentSteps, b::maxConcurrentSteps);
        problems.set(
                "convergence-policy", convergencePolicy, name -> b.convergencePolicy(ConvergencePolicy.named(name)));
        problems.set("steering-retries", steeringRetries, b::steeringRetries);
        problems.set("content-only-steering-threshold", contentOnlySteeringThreshold, b::contentOnlySteeringThreshold);
        problems.set("content-only-hard-limit", contentOnlyHardLimit, b::contentOnlyHardLimit);
        problems.set("verbosity", verbosity, b::verbosity);
        ExecutionConfig config = problems.build("content-only-hard-limit", b::build);
        return config == null ? ExecutionConfig.builder().build() : config;
    }

    public @Nullable Duration getStepTimeout() {
        return stepTimeout;
    }

    public void setStepTimeout(@Nullable Duration stepTimeout) {
        this.stepTimeout = stepTimeout;
    }

    public @Nullable Duration getToolTimeout() {
        return toolTimeout;
    }

    public void setToolTimeout(@Nullable Duration toolTimeout) {
        this.toolTimeout = toolTimeout;
    }

    public @Nullable Duration getBranchTimeout() {
        return branchTimeout;
    }

    public void setBranchTimeout(@Nullable Duration branchTimeout) {
        this.branchTimeout = branchTimeout;
    }

    public @Nullable Duration getConvergenceTimeout() {
        return convergenceTimeout;
    }

    public void setConvergenceTimeout(@Nullable Duration convergenceTimeout) {
        this.convergenceTimeout = convergenceTimeout;
    }

    public @Nullable Duration getUserInteractionTimeout() {
        return userInteractionTimeout;
    }

    public void setUserInteractionTimeout(@Nullable Duration userInteractionTimeout) {
        this.userInteractionTimeout = userInteractionTimeout;
    }

    public @Nullable Duration getRunTimeout() {
        return runTimeout;
    }

    public void setRunTimeout(@Nullable Duration runTimeout) {
        this.runTimeout = runTimeout;
    }

    public @Nullable Integer getMaxConcurrentSteps() {
        return maxConcurrentSteps;
    }

    public void setMaxConcurrentSteps(@Nullable Integer maxConcurrentSteps) {
        this.maxConcurrentSteps = maxConcurrentSteps;
    }

    public @Nullable String getConvergencePolicy() {
        return convergencePolicy;
    }

    public void setConvergencePolicy(@Nullable String convergencePolicy) {
        this.convergencePolicy = convergencePolicy;
    }

    public @Nullable Integer getSteeringRetries() {
        return steeringRetries;
    }

    public void setSteeringRetries(@Nullable Integer steeringRetries) {
        this.steeringRetries = steeringRetries;
    }

    public @Nullable Integer getContentOnlySteeringThreshold() {
        return contentOnlySteeringThreshold;
    }

    public void setContentOnlySteeringThreshold(@Nullable Integer contentOnlySteeringThreshold) {
        this.contentOnlySteeringThreshold = contentOnlySteeringThreshold;
    }

    public @Nullable Integer getContentOnlyHardLimit() {
        return contentOnlyHardLimit;
    }

    public void setContentOnlyHardLimit(@Nullable Integer contentOnlyHardLimit) {
        this.contentOnlyHardLimit = contentOnlyHardLimit;
    }

    public @Nullable Verbosity getVerbosity() {
        return verbosity;
    }

    public void setVerbosity(@Nullable Verbosity verbosity) {
        this.verbosity = verbosity;
    }
}
