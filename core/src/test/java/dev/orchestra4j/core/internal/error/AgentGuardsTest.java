package dev.orchestra4j.core.internal.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorClassifier;
import dev.orchestra4j.core.ErrorHandlingConfig;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class AgentGuardsTest {

    private final ErrorClassifier classifier = ErrorClassifier.defaults();

    @Test
    void decorate_noRegistries_returnsSameCallable() {
        AgentGuards guards = new AgentGuards(ErrorHandlingConfig.defaults());
        Callable<String> call = () -> "done";

        assertThat(guards.hasGuards()).isFalse();
        assertThat(guards.decorate("Writer", call)).isSameAs(call);
    }

    @Test
    void decorate_openCircuitBreaker_rejectsCallClassifiedUnavailable() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        breakers.circuitBreaker("Writer").transitionToOpenState();
        AgentGuards guards = new AgentGuards(
                ErrorHandlingConfig.builder().circuitBreakers(breakers).build());
        AtomicInteger calls = new AtomicInteger();

        Throwable rejected = catchThrowable(
                () -> guards.decorate("Writer", calls::incrementAndGet).call());

        assertThat(rejected).isInstanceOf(CallNotPermittedException.class);
        assertThat(classifier.classify(rejected)).isEqualTo(ErrorCategory.UNAVAILABLE);
        assertThat(calls).hasValue(0);
    }

    @Test
    void decorate_circuitBreakerPerAgent_otherAgentsStillRun() throws Exception {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        breakers.circuitBreaker("Writer").transitionToOpenState();
        AgentGuards guards = new AgentGuards(
                ErrorHandlingConfig.builder().circuitBreakers(breakers).build());

        assertThat(guards.decorate("Reviewer", () -> "ok").call()).isEqualTo("ok");
    }

    @Test
    void decorate_fullBulkhead_rejectsCallClassifiedUnavailable() throws Exception {
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ZERO)
                .build());
        AgentGuards guards = new AgentGuards(
                ErrorHandlingConfig.builder().bulkheads(bulkheads).build());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return guards.decorate("Writer", () -> {
                            inside.countDown();
                            release.await();
                            return "first";
                        })
                        .call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        Throwable rejected =
                catchThrowable(() -> guards.decorate("Writer", () -> "second").call());
        release.countDown();

        assertThat(rejected).isInstanceOf(BulkheadFullException.class);
        assertThat(classifier.classify(rejected)).isEqualTo(ErrorCategory.UNAVAILABLE);
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    }

    @Test
    void decorate_exhaustedRateLimiter_rejectsCallClassifiedRateLimit() throws Exception {
        RateLimiterRegistry limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofHours(1))
                .timeoutDuration(Duration.ZERO)
                .build());
        AgentGuards guards = new AgentGuards(
                ErrorHandlingConfig.builder().rateLimiters(limiters).build());

        assertThat(guards.decorate("Writer", () -> "first").call()).isEqualTo("first");
        Throwable rejected =
                catchThrowable(() -> guards.decorate("Writer", () -> "second").call());

        assertThat(rejected).isInstanceOf(RequestNotPermitted.class);
        assertThat(classifier.classify(rejected)).isEqualTo(ErrorCategory.RATE_LIMIT);
    }

    @Test
    void decorate_failingCall_countsAgainstCircuitBreakerAndKeepsItsException() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        AgentGuards guards = new AgentGuards(
                ErrorHandlingConfig.builder().circuitBreakers(breakers).build());
        IllegalStateException failure = new IllegalStateException("agent broke");

        Throwable thrown = catchThrowable(() -> guards.decorate("Writer", () -> {
                    throw failure;
                })
                .call());

        assertThat(thrown).isSameAs(failure);
        assertThat(breakers.circuitBreaker("Writer").getMetrics().getNumberOfFailedCalls())
                .isEqualTo(1);
    }
}
