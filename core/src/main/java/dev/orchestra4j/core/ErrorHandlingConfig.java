package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * How failed steps are retried and routed (SPEC §4.6). Retryable categories are retried with exponential backoff and
 * jitter; when retries run out (or the error is permanent) the branch follows its {@code [on error]} edge, else asks
 * the user (Retry / Skip / Abort) when it has an edge to User, else fails into its barrier.
 *
 * <p>Immutable: build one with {@link #builder()}, derive a variant with {@link #toBuilder()}.
 *
 * <p>Circuit breakers, rate limiters and bulkheads are taken per agent name from the registries given, if any.
 */
public final class ErrorHandlingConfig {

    private static final ErrorHandlingConfig DEFAULTS = builder().build();

    private final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final double jitter;
    private final boolean enableErrorRouting;
    private final boolean preserveErrorContext;
    private final ErrorClassifier classifier;
    private final Optional<CircuitBreakerRegistry> circuitBreakers;
    private final Optional<RateLimiterRegistry> rateLimiters;
    private final Optional<BulkheadRegistry> bulkheads;

    private ErrorHandlingConfig(Builder b) {
        if (b.maxDelay.compareTo(b.baseDelay) < 0) {
            throw new IllegalArgumentException(
                    "delays must satisfy 0 <= baseDelay <= maxDelay, were " + b.baseDelay + " and " + b.maxDelay);
        }
        maxRetries = b.maxRetries;
        baseDelay = b.baseDelay;
        maxDelay = b.maxDelay;
        jitter = b.jitter;
        enableErrorRouting = b.enableErrorRouting;
        preserveErrorContext = b.preserveErrorContext;
        classifier = b.classifier;
        circuitBreakers = b.circuitBreakers;
        rateLimiters = b.rateLimiters;
        bulkheads = b.bulkheads;
    }

    public static ErrorHandlingConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** How often a retryable failure is retried (default 3). */
    public int maxRetries() {
        return maxRetries;
    }

    /** The first retry delay; each further retry doubles it (default 1 s). */
    public Duration baseDelay() {
        return baseDelay;
    }

    /** The longest retry delay (default 60 s). */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The random spread of each delay, within [0, 1) (default 0.1). */
    public double jitter() {
        return jitter;
    }

    /** Whether failures follow {@code [on error]} edges (default true). */
    public boolean enableErrorRouting() {
        return enableErrorRouting;
    }

    /** Whether an error handler receives the {@link ErrorContext} of the failure (default true). */
    public boolean preserveErrorContext() {
        return preserveErrorContext;
    }

    /** Sorts exceptions into {@link ErrorCategory categories}. */
    public ErrorClassifier classifier() {
        return classifier;
    }

    /** Circuit breakers per agent name, if any. */
    public Optional<CircuitBreakerRegistry> circuitBreakers() {
        return circuitBreakers;
    }

    /** Rate limiters per agent name, if any. */
    public Optional<RateLimiterRegistry> rateLimiters() {
        return rateLimiters;
    }

    /** Bulkheads per agent name, if any. */
    public Optional<BulkheadRegistry> bulkheads() {
        return bulkheads;
    }

    @Override
    public String toString() {
        return "ErrorHandlingConfig[maxRetries=" + maxRetries + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
                + ", jitter=" + jitter + ", enableErrorRouting=" + enableErrorRouting + ", preserveErrorContext="
                + preserveErrorContext + "]";
    }

    /** Builds an {@link ErrorHandlingConfig}. */
    public static final class Builder {
        private int maxRetries = 3;
        private Duration baseDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(60);
        private double jitter = 0.1;
        private boolean enableErrorRouting = true;
        private boolean preserveErrorContext = true;
        private ErrorClassifier classifier = ErrorClassifier.defaults();
        private Optional<CircuitBreakerRegistry> circuitBreakers = Optional.empty();
        private Optional<RateLimiterRegistry> rateLimiters = Optional.empty();
        private Optional<BulkheadRegistry> bulkheads = Optional.empty();

        private Builder() {}

        private Builder(ErrorHandlingConfig c) {
            maxRetries = c.maxRetries;
            baseDelay = c.baseDelay;
            maxDelay = c.maxDelay;
            jitter = c.jitter;
            enableErrorRouting = c.enableErrorRouting;
            preserveErrorContext = c.preserveErrorContext;
            classifier = c.classifier;
            circuitBreakers = c.circuitBreakers;
            rateLimiters = c.rateLimiters;
            bulkheads = c.bulkheads;
        }

        public Builder maxRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative, was " + value);
            }
            maxRetries = value;
            return this;
        }

        public Builder baseDelay(Duration value) {
            requireNonNull(value, "baseDelay");
            if (value.isNegative()) {
                throw new IllegalArgumentException("baseDelay must not be negative, was " + value);
            }
            baseDelay = value;
            return this;
        }

        public Builder maxDelay(Duration value) {
            requireNonNull(value, "maxDelay");
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxDelay must not be negative, was " + value);
            }
            maxDelay = value;
            return this;
        }

        public Builder jitter(double value) {
            if (!(value >= 0.0 && value < 1.0)) {
                throw new IllegalArgumentException("jitter must be within [0, 1), was " + value);
            }
            jitter = value;
            return this;
        }

        /**
         * Whether a failure whose retries are over is routed (default true): along the node's {@code [on error]}
         * edge, else to the user (Retry / Skip / Abort) when the node has an edge to User. When false, the branch
         * fails into its barrier at once.
         */
        public Builder enableErrorRouting(boolean value) {
            enableErrorRouting = value;
            return this;
        }

        public Builder preserveErrorContext(boolean value) {
            preserveErrorContext = value;
            return this;
        }

        public Builder classifier(ErrorClassifier value) {
            classifier = requireNonNull(value, "classifier");
            return this;
        }

        public Builder circuitBreakers(CircuitBreakerRegistry value) {
            circuitBreakers = Optional.of(requireNonNull(value, "circuitBreakers"));
            return this;
        }

        public Builder rateLimiters(RateLimiterRegistry value) {
            rateLimiters = Optional.of(requireNonNull(value, "rateLimiters"));
            return this;
        }

        public Builder bulkheads(BulkheadRegistry value) {
            bulkheads = Optional.of(requireNonNull(value, "bulkheads"));
            return this;
        }

        public ErrorHandlingConfig build() {
            return new ErrorHandlingConfig(this);
        }
    }
}
