package dev.orchestra4j.core.internal.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorClassifier;
import dev.orchestra4j.core.ErrorHandlingConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class RetryPlannerTest {

    private static final ErrorHandlingConfig NO_JITTER = ErrorHandlingConfig.builder()
            .maxRetries(3)
            .baseDelay(Duration.ofSeconds(1))
            .maxDelay(Duration.ofSeconds(60))
            .jitter(0.0)
            .build();

    private final RetryPlanner planner = new RetryPlanner(NO_JITTER);

    @Test
    void nextDelay_rateLimitWithRetryAfter_waitsExactlyThat() {
        Throwable error = new RateLimitException(new HttpException(429, "Too many requests. Retry-After: 7"));

        assertThat(planner.nextDelay(planner.classify(error), error, 1)).contains(Duration.ofSeconds(7));
        assertThat(planner.nextDelay(planner.classify(error), error, 3)).contains(Duration.ofSeconds(7));
    }

    @Test
    void nextDelay_retryAfterBeyondMaxDelay_isCapped() {
        Throwable error = new RateLimitException("Please try again in 6m0s.");

        assertThat(planner.nextDelay(ErrorCategory.RATE_LIMIT, error, 1)).contains(Duration.ofSeconds(60));
    }

    @Test
    void nextDelay_retryAfterWithJitter_isNotRandomized() {
        RetryPlanner jittery =
                new RetryPlanner(ErrorHandlingConfig.builder().jitter(0.5).build());
        Throwable error = new RateLimitException("retry-after: 7");

        for (int i = 0; i < 50; i++) {
            assertThat(jittery.nextDelay(ErrorCategory.RATE_LIMIT, error, 1)).contains(Duration.ofSeconds(7));
        }
    }

    @Test
    void nextDelay_authenticationFailure_isNotRetried() {
        Throwable error = new AuthenticationException(new HttpException(401, "invalid api key"));

        assertThat(planner.classify(error)).isEqualTo(ErrorCategory.AUTHENTICATION);
        assertThat(planner.nextDelay(planner.classify(error), error, 1)).isEmpty();
    }

    @Test
    void nextDelay_retryableError_retriedUpToMaxRetriesThenEmpty() {
        Throwable error = new java.util.concurrent.TimeoutException();

        assertThat(planner.nextDelay(ErrorCategory.TIMEOUT, error, 1)).isPresent();
        assertThat(planner.nextDelay(ErrorCategory.TIMEOUT, error, 2)).isPresent();
        assertThat(planner.nextDelay(ErrorCategory.TIMEOUT, error, 3)).isPresent();
        assertThat(planner.nextDelay(ErrorCategory.TIMEOUT, error, 4)).isEmpty();
        assertThat(planner.maxAttempts()).isEqualTo(4);
    }

    @Test
    void nextDelay_zeroMaxRetries_neverRetries() {
        RetryPlanner none =
                new RetryPlanner(ErrorHandlingConfig.builder().maxRetries(0).build());

        assertThat(none.nextDelay(ErrorCategory.NETWORK, null, 1)).isEmpty();
        assertThat(none.maxAttempts()).isEqualTo(1);
    }

    @Test
    void nextDelay_backoff_doublesAndIsCapped() {
        RetryPlanner many = new RetryPlanner(ErrorHandlingConfig.builder()
                .maxRetries(10)
                .baseDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(10))
                .jitter(0.0)
                .build());

        assertThat(delays(many, 6)).containsExactly(secs(1), secs(2), secs(4), secs(8), secs(10), secs(10));
    }

    @Test
    void nextDelay_hugeAttemptNumber_staysAtMaxDelay() {
        RetryPlanner unbounded = new RetryPlanner(ErrorHandlingConfig.builder()
                .maxRetries(Integer.MAX_VALUE)
                .jitter(0.0)
                .build());

        assertThat(unbounded.nextDelay(ErrorCategory.UNAVAILABLE, null, 1_000_000))
                .contains(secs(60));
    }

    @Test
    void nextDelay_jitter_staysWithinBoundsAndVaries() {
        RetryPlanner jittery = new RetryPlanner(ErrorHandlingConfig.builder()
                .baseDelay(Duration.ofMillis(1000))
                .jitter(0.1)
                .build());
        Set<Duration> seen = new HashSet<>();

        for (int i = 0; i < 200; i++) {
            Duration first = jittery.nextDelay(ErrorCategory.NETWORK, null, 1).orElseThrow();
            Duration third = jittery.nextDelay(ErrorCategory.NETWORK, null, 3).orElseThrow();
            assertThat(first).isBetween(Duration.ofMillis(900), Duration.ofMillis(1100));
            assertThat(third).isBetween(Duration.ofMillis(3600), Duration.ofMillis(4400));
            seen.add(first);
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void nextDelay_sameDraw_sameDelay_andDrawsSpreadAcrossSessions() {
        RetryPlanner jittery = new RetryPlanner(ErrorHandlingConfig.builder()
                .baseDelay(Duration.ofMillis(1000))
                .jitter(0.5)
                .build());
        double draw = RetryPlanner.draw("s1", "b3", 2, 7);

        assertThat(RetryPlanner.draw("s1", "b3", 2, 7)).isEqualTo(draw).isBetween(0.0, 1.0);
        assertThat(jittery.nextDelay(ErrorCategory.NETWORK, Optional.empty(), 2, -1, draw))
                .isEqualTo(jittery.nextDelay(ErrorCategory.NETWORK, Optional.empty(), 2, -1, draw));
        assertThat(jittery.nextDelay(ErrorCategory.NETWORK, Optional.empty(), 1, -1, 0.0))
                .contains(Duration.ofMillis(500));
        assertThat(jittery.nextDelay(ErrorCategory.NETWORK, Optional.empty(), 1, -1, 0.5))
                .contains(Duration.ofMillis(1000));
        Set<Double> draws = new HashSet<>();
        for (int session = 0; session < 100; session++) {
            double d = RetryPlanner.draw("session-" + session, "b3", 2, 7);
            assertThat(d).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            draws.add(d);
        }
        assertThat(draws).as("sessions failing together spread out").hasSizeGreaterThan(90);
        assertThatThrownBy(() -> jittery.nextDelay(ErrorCategory.NETWORK, Optional.empty(), 1, -1, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("draw must be in [0, 1), was 1.0");
    }

    @Test
    void nextDelay_jitterAtCap_neverExceedsMaxDelay() {
        RetryPlanner capped = new RetryPlanner(ErrorHandlingConfig.builder()
                .maxRetries(8)
                .maxDelay(Duration.ofSeconds(5))
                .jitter(0.9)
                .build());

        for (int i = 0; i < 200; i++) {
            assertThat(capped.nextDelay(ErrorCategory.NETWORK, null, 8))
                    .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(secs(5)));
        }
    }

    @Test
    void nextDelay_subMillisecondBaseDelay_retriesAtOnce() {
        RetryPlanner immediate = new RetryPlanner(
                ErrorHandlingConfig.builder().baseDelay(Duration.ZERO).build());

        assertThat(immediate.nextDelay(ErrorCategory.NETWORK, null, 2)).contains(Duration.ZERO);
    }

    @Test
    void nextDelay_attemptBelowOne_isRejected() {
        assertThatThrownBy(() -> planner.nextDelay(ErrorCategory.NETWORK, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failedAttempt must be at least 1, was 0");
    }

    @Test
    void classify_classifierThrows_isUnknownAndNotRetried() {
        ErrorClassifier broken = error -> {
            throw new IllegalStateException("classifier bug");
        };
        RetryPlanner guarded = new RetryPlanner(
                ErrorHandlingConfig.builder().classifier(broken).build());

        assertThat(guarded.classify(new RuntimeException())).isEqualTo(ErrorCategory.UNKNOWN);
    }

    @Test
    void nextDelay_customClassifierRetryAfter_isHonoured() {
        ErrorClassifier custom = new ErrorClassifier() {
            @Override
            public ErrorCategory classify(Throwable error) {
                return ErrorCategory.UNAVAILABLE;
            }

            @Override
            public Optional<Duration> retryAfter(Throwable error) {
                return Optional.of(Duration.ofMillis(1234));
            }
        };
        RetryPlanner withCustom = new RetryPlanner(
                ErrorHandlingConfig.builder().classifier(custom).build());
        RuntimeException error = new RuntimeException("503");

        assertThat(withCustom.nextDelay(withCustom.classify(error), error, 1)).contains(Duration.ofMillis(1234));
    }

    private static java.util.List<Duration> delays(RetryPlanner planner, int attempts) {
        java.util.List<Duration> delays = new java.util.ArrayList<>();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            delays.add(
                    planner.nextDelay(ErrorCategory.UNAVAILABLE, null, attempt).orElseThrow());
        }
        return delays;
    }

    private static Duration secs(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
