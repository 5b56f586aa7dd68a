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
 * <p>Circuit breakers, rate limiters and bulkheads are taken per agent name from the registries given, if any.
 */
public record ErrorHandlingConfig(
        int maxRetries,
        Duration baseDelay,
        Duration maxDelay,
        double jitter,
        boolean enableErrorRouting,
        boolean preserveErrorContext,
        ErrorClassifier classifier,
        Optional<CircuitBreakerRegistry> circuitBreakers,
        Optional<RateLimiterRegistry> rateLimiters,
        Optional<BulkheadRegistry> bulkheads) {

    private static final ErrorHandlingConfig DEFAULTS = builder().build();

    public ErrorHandlingConfig {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
        }
        requireNonNull(baseDelay, "baseDelay");
        requireNonNull(maxDelay, "maxDelay");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException(
                    "delays must satisfy 0 <= baseDelay <= maxDelay, were " + baseDelay + " and " + maxDelay);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be within [0, 1), was " + jitter);
        }
        requireNonNull(classifier, "classifier");
        requireNonNull(circuitBreakers, "circuitBreakers");
        requireNonNull(rateLimiters, "rateLimiters");
        requireNonNull(bulkheads, "bulkheads");
    }

    public static ErrorHandlingConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
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
            circuitBreakers = Optional.of(value);
            return this;
        }

        public Builder rateLimiters(RateLimiterRegistry value) {
            rateLimiters = Optional.of(value);
            return this;
        }

        public Builder bulkheads(BulkheadRegistry value) {
            bulkheads = Optional.of(value);
            return this;
        }

        public ErrorHandlingConfig build() {
            return new ErrorHandlingConfig(
                    maxRetries,
                    baseDelay,
                    maxDelay,
                    jitter,
                    enableErrorRouting,
                    preserveErrorContext,
                    classifier,
                    circuitBreakers,
                    rateLimiters,
                    bulkheads);
        }
    }
}
