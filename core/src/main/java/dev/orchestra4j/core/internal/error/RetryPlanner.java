package dev.orchestra4j.core.internal.error;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorClassifier;
import dev.orchestra4j.core.ErrorHandlingConfig;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a failed step is tried again and after how long (SPEC §4.6). A pure decision: the engine schedules
 * the wait itself, so nothing here sleeps or blocks.
 *
 * <p>The backoff is Resilience4j's exponential random backoff: {@code baseDelay · 2^(failedAttempt-1)}, randomized by
 * {@code ±jitter}, capped at {@code maxDelay}. A {@code Retry-After} the classifier finds replaces it, capped at
 * {@code maxDelay} and never shortened by jitter. Resilience4j counts whole milliseconds, so a {@code baseDelay} under
 * one millisecond means "retry at once". The classifier is user code: if it throws or answers null, the failure is
 * {@code UNKNOWN} (not retried) and the problem is logged.
 */
public final class RetryPlanner {

    private static final Logger log = LoggerFactory.getLogger(RetryPlanner.class);
    /** Far beyond the point where the doubling has reached any maxDelay; keeps IntervalFunction's loop short. */
    private static final int MAX_EXPONENT_ATTEMPT = 64;

    private final ErrorClassifier classifier;
    private final int maxRetries;
    private final Duration maxDelay;
    private final @Nullable IntervalFunction backoff;

    public RetryPlanner(ErrorHandlingConfig config) {
        this.classifier = config.classifier();
        this.maxRetries = config.maxRetries();
        this.maxDelay = config.maxDelay();
        this.backoff = config.baseDelay().toMillis() < 1
                ? null
                : IntervalFunction.ofExponentialRandomBackoff(config.baseDelay(), 2.0, config.jitter(), maxDelay);
    }

    /** The category of {@code error}, by the configured classifier. */
    public ErrorCategory classify(Throwable error) {
        try {
            ErrorCategory category = classifier.classify(error);
            if (category != null) {
                return category;
            }
            log.warn("Error classifier {} returned null for {}; treating it as UNKNOWN", classifier, error.toString());
        } catch (RuntimeException e) {
            log.warn("Error classifier {} failed on {}; treating it as UNKNOWN", classifier, error.toString(), e);
        }
        return ErrorCategory.UNKNOWN;
    }

    /**
     * How long to wait before the next attempt, or empty when the step must not be retried.
     *
     * @param category the classified failure; only {@linkplain ErrorCategory#isRetryable() retryable} ones are retried
     * @param error the failure, read for a {@code Retry-After}; null when the step failed without an exception
     * @param failedAttempt the attempt that just failed, 1 for the first try; with {@code maxRetries = 3} attempts 1 to
     *     3 are retried and attempt 4 is the last
     */
    public Optional<Duration> nextDelay(ErrorCategory category, @Nullable Throwable error, int failedAttempt) {
        requireNonNull(category, "category");
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt must be at least 1, was " + failedAttempt);
        }
        if (!category.isRetryable() || failedAttempt > maxRetries) {
            return Optional.empty();
        }
        Optional<Duration> asked = error == null ? Optional.empty() : retryAfter(error);
        return Optional.of(asked.map(this::capped).orElseGet(() -> backoff(failedAttempt)));
    }

    /**
     * As {@link #nextDelay(ErrorCategory, Throwable, int)}, with a node's own retry budget ({@code max_retries} node
     * metadata) instead of the configured one; a negative {@code nodeMaxRetries} means the configured one.
     */
    public Optional<Duration> nextDelay(
            ErrorCategory category, @Nullable Throwable error, int failedAttempt, int nodeMaxRetries) {
        if (nodeMaxRetries < 0 || nodeMaxRetries == maxRetries) {
            return nextDelay(category, error, failedAttempt);
        }
        requireNonNull(category, "category");
        if (!category.isRetryable() || failedAttempt > nodeMaxRetries) {
            return Optional.empty();
        }
        Optional<Duration> asked = error == null ? Optional.empty() : retryAfter(error);
        return Optional.of(asked.map(this::capped).orElseGet(() -> backoff(failedAttempt)));
    }

    /** How many attempts a retryable failure gets in all: the first try and {@code maxRetries} more. */
    public int maxAttempts() {
        return maxRetries + 1;
    }

    private Duration backoff(int failedAttempt) {
        if (backoff == null) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(backoff.apply(Math.min(failedAttempt, MAX_EXPONENT_ATTEMPT)));
    }

    private Duration capped(Duration delay) {
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    private Optional<Duration> retryAfter(Throwable error) {
        try {
            Optional<Duration> asked = classifier.retryAfter(error);
            return asked == null ? Optional.empty() : asked.filter(d -> !d.isNegative());
        } catch (RuntimeException e) {
            log.warn("Error classifier {} failed to read Retry-After from {}", classifier, error.toString(), e);
            return Optional.empty();
        }
    }
}
