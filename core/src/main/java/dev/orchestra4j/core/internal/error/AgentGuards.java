package dev.orchestra4j.core.internal.error;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.ErrorHandlingConfig;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Wraps an agent call in the circuit breaker, rate limiter and bulkhead named after the agent, taken from the
 * registries of {@link ErrorHandlingConfig} (SPEC §4.6). Nested in Resilience4j's recommended order, outermost first:
 * circuit breaker, rate limiter, bulkhead, call. A rejected call throws Resilience4j's own exception
 * ({@code CallNotPermittedException}, {@code RequestNotPermitted}, {@code BulkheadFullException}), which
 * {@link DefaultErrorClassifier} reads as {@code UNAVAILABLE}, {@code RATE_LIMIT} and {@code UNAVAILABLE}.
 */
public final class AgentGuards {

    private final @Nullable CircuitBreakerRegistry circuitBreakers;
    private final @Nullable RateLimiterRegistry rateLimiters;
    private final @Nullable BulkheadRegistry bulkheads;

    public AgentGuards(ErrorHandlingConfig config) {
        this.circuitBreakers = config.circuitBreakers().orElse(null);
        this.rateLimiters = config.rateLimiters().orElse(null);
        this.bulkheads = config.bulkheads().orElse(null);
    }

    /** Whether any registry was configured; without one {@link #decorate} returns the call unchanged. */
    public boolean hasGuards() {
        return circuitBreakers != null || rateLimiters != null || bulkheads != null;
    }

    /** {@code call} guarded by {@code agent}'s circuit breaker, rate limiter and bulkhead, or itself when none exist. */
    public <T> Callable<T> decorate(String agent, Callable<T> call) {
        requireNonNull(agent, "agent");
        requireNonNull(call, "call");
        Callable<T> guarded = call;
        if (bulkheads != null) {
            guarded = Bulkhead.decorateCallable(bulkheads.bulkhead(agent), guarded);
        }
        if (rateLimiters != null) {
            guarded = RateLimiter.decorateCallable(rateLimiters.rateLimiter(agent), guarded);
        }
        if (circuitBreakers != null) {
            guarded = CircuitBreaker.decorateCallable(circuitBreakers.circuitBreaker(agent), guarded);
        }
        return guarded;
    }
}
