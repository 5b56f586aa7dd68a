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
 * <p>The backoff is Resilience4j's exponential backoff, {@code baseDelay · 2^(failedAttempt-1)} capped at
 * {@code maxDelay}, then spread by {@code ±jitter} (never beyond {@code maxDelay}); Resilience4j counts whole
 * milliseconds, so a {@code baseDelay} under one millisecond means "retry at once". Where in that spread a delay falls is the caller's {@code draw} in [0, 1):
 * the engine derives it from the session, branch and attempt, so that the same failure is always retried after the
 * same delay (a replayed or recovered run decides as the original did) while sessions failing together still spread
 * out. A {@code Retry-After} the classifier finds replaces the backoff, capped at {@code maxDelay} and never spread.
 *
 * <p>The classifier is user code, run by the engine where the step ran, not where it decides ({@link #classify},
 * {@link #retryAfter}): if it throws or answers null, the failure is {@code UNKNOWN} (not retried) and the problem is
 * logged.
 */
public final class RetryPlanner {

    private static final Logger log = LoggerFactory.getLogger(RetryPlanner.class);
    /** Far beyond the point where the doubling has reached any maxDelay; keeps IntervalFunction's loop short. */
    private static final int MAX_EXPONENT_ATTEMPT = 64;

    private final ErrorClassifier classifier;
    private final int maxRetries;
    private final Duration maxDelay;
    /** Resilience4j's exponential backoff, capped at {@code maxDelay}; null when {@code baseDelay} is under 1 ms. */
    private final @Nullable IntervalFunction backoff;

    private final long maxMillis;
    private final double jitter;

    /** The planner last made by {@link #of}: sessions of one instance share their configuration, so one planner. */
    private static volatile @Nullable RetryPlanner last;

    private final ErrorHandlingConfig config;

    /** A planner for {@code config}, shared by the sessions that use the same (immutable) configuration object. */
    public static RetryPlanner of(ErrorHandlingConfig config) {
        RetryPlanner p = last;
        if (p == null || p.config != config) {
            p = new RetryPlanner(config);
            last = p;
        }
        return p;
    }

    public RetryPlanner(ErrorHandlingConfig config) {
        this.config = config;
        this.classifier = config.classifier();
        this.maxRetries = config.maxRetries();
        this.maxDelay = config.maxDelay();
        this.backoff = config.baseDelay().toMillis() < 1
                ? null
                : IntervalFunction.ofExponentialBackoff(config.baseDelay(), 2.0, maxDelay);
        this.maxMillis = maxDelay.toMillis();
        this.jitter = config.jitter();
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
     * How long to wait before the next attempt, or empty when the step must not be retried; reads {@code error}'s
     * {@code Retry-After} here and spreads the backoff at random. For tests and callers outside the engine, which
     * classifies where the step ran and decides with {@link #nextDelay(ErrorCategory, Optional, int, int, double)}.
     *
     * @param category the classified failure; only {@linkplain ErrorCategory#isRetryable() retryable} ones are retried
     * @param error the failure, read for a {@code Retry-After}; null when the step failed without an exception
     * @param failedAttempt the attempt that just failed, 1 for the first try; with {@code maxRetries = 3} attempts 1 to
     *     3 are retried and attempt 4 is the last
     */
    public Optional<Duration> nextDelay(ErrorCategory category, @Nullable Throwable error, int failedAttempt) {
        Optional<Duration> asked = error == null ? Optional.empty() : retryAfter(error);
        return nextDelay(
                category,
                asked,
                failedAttempt,
                -1,
                java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /**
     * How long to wait before the next attempt, or empty when the step must not be retried: a pure function of its
     * arguments.
     *
     * @param retryAfter what the classifier read from the failure ({@link #retryAfter}), or empty
     * @param nodeMaxRetries the node's own retry budget ({@code max_retries} node metadata); negative: the configured one
     * @param draw where in the {@code ±jitter} spread the backoff falls, in [0, 1)
     */
    public Optional<Duration> nextDelay(
            ErrorCategory category, Optional<Duration> retryAfter, int failedAttempt, int nodeMaxRetries, double draw) {
        requireNonNull(category, "category");
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt must be at least 1, was " + failedAttempt);
        }
        if (!(draw >= 0 && draw < 1)) {
            throw new IllegalArgumentException("draw must be in [0, 1), was " + draw);
        }
        int budget = nodeMaxRetries < 0 ? maxRetries : nodeMaxRetries;
        if (!category.isRetryable() || failedAttempt > budget) {
            return Optional.empty();
        }
        return Optional.of(retryAfter.map(this::capped).orElseGet(() -> backoff(failedAttempt, draw)));
    }

    /** A deterministic draw in [0, 1) for {@code (session, branch, attempt, step)}: the same inputs, the same draw. */
    public static double draw(String session, String branch, int attempt, int step) {
        long h = session.hashCode() * 0x9E3779B97F4A7C15L;
        h = (h ^ branch.hashCode()) * 0xBF58476D1CE4E5B9L;
        h = (h ^ attempt) * 0x94D049BB133111EBL;
        h = (h ^ step) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** How many attempts a retryable failure gets in all: the first try and {@code maxRetries} more. */
    public int maxAttempts() {
        return maxRetries + 1;
    }

    private Duration backoff(int failedAttempt, double draw) {
        if (backoff == null) {
            return Duration.ZERO;
        }
        double capped = backoff.apply(Math.min(failedAttempt, MAX_EXPONENT_ATTEMPT));
        double spread = jitter * capped;
        double delay = capped - spread + 2 * spread * draw;
        return Duration.ofMillis((long) Math.min(delay, maxMillis));
    }

    private Duration capped(Duration delay) {
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** The wait {@code error} asks for ({@code Retry-After}), by the classifier; empty when none or when it fails. */
    public Optional<Duration> retryAfter(Throwable error) {
        try {
            Optional<Duration> asked = classifier.retryAfter(error);
            return asked == null ? Optional.empty() : asked.filter(d -> !d.isNegative());
        } catch (RuntimeException e) {
            log.warn("Error classifier {} failed to read Retry-After from {}", classifier, error.toString(), e);
            return Optional.empty();
        }
    }
}
