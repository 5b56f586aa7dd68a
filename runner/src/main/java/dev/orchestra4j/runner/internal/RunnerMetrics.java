package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.States;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's meters (research §1.9 point 6). Tags carry only bounded values (outcomes, kinds, hook names, configured
 * states), never issue ids.
 */
public final class RunnerMetrics {

    public static final String DISPATCHES = "runner.dispatches";
    public static final String RETRIES = "runner.retries";
    public static final String RUNNING = "runner.running";
    public static final String RECONCILE_KILLS = "runner.reconcile.kills";
    public static final String HOOK_DURATION = "runner.hook.duration";
    public static final String PROOF = "runner.proof";

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

    public RunnerMetrics(MeterRegistry registry) {
        this.registry = registry;
        // the bounded tag values are registered up front, so dashboards see zeros instead of missing series
        for (String outcome : new String[] {"started", "resumed", "completed", "failed", "blocked"}) {
            registry.counter(DISPATCHES, "outcome", outcome);
        }
        for (String kind : new String[] {"continuation", "failure", "slots"}) {
            registry.counter(RETRIES, "kind", kind);
        }
        for (String outcome : new String[] {"passed", "failed"}) {
            registry.counter(PROOF, "outcome", outcome);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code outcome}: started, failed, completed, blocked. */
    public void dispatch(String outcome) {
        registry.counter(DISPATCHES, "outcome", outcome).increment();
    }

    /** {@code kind}: continuation, failure, slots. */
    public void retry(String kind) {
        registry.counter(RETRIES, "kind", kind).increment();
    }

    /** Sets how many agents run per state. */
    public void running(Map<String, Integer> byState) {
        running.forEach((state, value) -> value.set(0));
        byState.forEach((state, count) -> gauge(States.normalize(state)).set(count));
    }

    private AtomicInteger gauge(String state) {
        return running.computeIfAbsent(state, s -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(RUNNING, value, AtomicInteger::get).tag("state", s).register(registry);
            return value;
        });
    }

    /** {@code reason}: terminal, inactive, unroutable, missing, stalled. */
    public void reconcileKill(String reason) {
        registry.counter(RECONCILE_KILLS, "reason", reason).increment();
    }

    public void hook(String hook, Duration duration) {
        Timer.builder(HOOK_DURATION).tag("hook", hook).register(registry).record(duration);
    }

    /** {@code outcome}: passed, failed. */
    public void proof(String outcome) {
        registry.counter(PROOF, "outcome", outcome).increment();
    }
}
