package dev.orchestra4j.spring;

import dev.orchestra4j.core.ErrorHandlingConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** {@code orchestra4j.errors.*}: the {@link ErrorHandlingConfig} of every session. Unset properties keep core's default. */
public class ErrorProperties {

    /** Retries of a retryable failure before it is routed or fails the branch (default 3). */
    private @Nullable Integer maxRetries;
    /** First backoff delay (default 1s). */
    private @Nullable Duration baseDelay;
    /** Longest backoff delay (default 60s). */
    private @Nullable Duration maxDelay;
    /** Random spread of each delay, within [0, 1) (default 0.1). */
    private @Nullable Double jitter;
    /** Whether [on error] edges are followed (default true). */
    private @Nullable Boolean enableErrorRouting;
    /** Whether an error handler sees the failure's context (default true). */
    private @Nullable Boolean preserveErrorContext;

    ErrorHandlingConfig.Builder toBuilder(Problems problems) {
        ErrorHandlingConfig.Builder b = ErrorHandlingConfig.builder();
        problems.set("max-retries", maxRetries, b::maxRetries);
        problems.set("base-delay", baseDelay, b::baseDelay);
        problems.set("max-delay", maxDelay, b::maxDelay);
        problems.set("jitter", jitter, b::jitter);
        problems.set("enable-error-routing", enableErrorRouting, b::enableErrorRouting);
        problems.set("preserve-error-context", preserveErrorContext, b::preserveErrorContext);
        problems.build("base-delay, max-delay", b::build);
        return b;
    }

    public @Nullable Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(@Nullable Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public @Nullable Duration getBaseDelay() {
        return baseDelay;
    }

    public void setBaseDelay(@Nullable Duration baseDelay) {
        this.baseDelay = baseDelay;
    }

    public @Nullable Duration getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(@Nullable Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    public @Nullable Double getJitter() {
        return jitter;
    }

    public void setJitter(@Nullable Double jitter) {
        this.jitter = jitter;
    }

    public @Nullable Boolean getEnableErrorRouting() {
        return enableErrorRouting;
    }

    public void setEnableErrorRouting(@Nullable Boolean enableErrorRouting) {
        this.enableErrorRouting = enableErrorRouting;
    }

    public @Nullable Boolean getPreserveErrorContext() {
        return preserveErrorContext;
    }

    public void setPreserveErrorContext(@Nullable Boolean preserveErrorContext) {
        this.preserveErrorContext = preserveErrorContext;
    }
}
