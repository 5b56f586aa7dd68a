package dev.orchestra4j.metrics.internal;

import static dev.orchestra4j.metrics.MetricNames.*;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.TimeoutKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of SPEC §8, registered on one {@link MeterRegistry}; callers hand in facts, never events. Counters over
 * closed sets (runs by status, retries by category, timeouts by kind) are registered up front, so every series starts
 * at zero instead of appearing on first use.
 */
public final class Meters {

    private static final Logger log = LoggerFactory.getLogger(Meters.class);

    private final MeterProvider<Counter> runs;
    private final Timer runDuration;
    private final MeterProvider<Counter> steps;
    private final MeterProvider<Timer> stepDuration;
    private final MeterProvider<Counter> stepsAbandoned;
    private final MeterProvider<Timer> barrierWait;
    private final MeterProvider<Counter> retries;
    private final MeterProvider<Counter> timeouts;
    private final MeterProvider<Counter> tokens;
    private final MeterProvider<Timer> checkpointDuration;
    private final DistributionSummary checkpointBytes;

    public Meters(MeterRegistry registry, LiveSessions live) {
        if (registry.find(SESSIONS_ACTIVE).gauge() != null) {
            log.warn(
                    "The meter registry already has an Orchestra4j collector; the gauges '{}' and '{}' keep reporting"
                            + " the first one's sessions (use one collector per registry)",
                    SESSIONS_ACTIVE,
                    BRANCHES_ACTIVE);
        }
        runs = Counter.builder(RUNS)
                .description("Runs that ended, one per leg of a session, by final status")
                .baseUnit(UNIT_RUNS)
                .withRegistry(registry);
        runDuration = Timer.builder(RUN_DURATION)
                .description("Wall time of each run (or leg of a session)")
                .register(registry);
        steps = Counter.builder(STEPS)
                .description("Agent steps by agent and outcome; every failed attempt counts")
                .baseUnit(UNIT_STEPS)
                .withRegistry(registry);
        stepDuration = Timer.builder(STEP_DURATION)
                .description("Duration of agent steps, successful or failed")
                .withRegistry(registry);
        stepsAbandoned = Counter.builder(STEPS_ABANDONED)
                .description("Agent calls given up while still running (timed out or cancelled); results discarded")
                .baseUnit(UNIT_STEPS)
                .withRegistry(registry);
        Gauge.builder(STEPS_ZOMBIES, Orchestra::abandonedStepsRunning)
                .description("Abandoned agent calls whose threads are still inside the agent, in this JVM")
                .baseUnit(UNIT_STEPS)
                .register(registry);
        Gauge.builder(BRANCHES_ACTIVE, live, LiveSessions::activeBranches)
                .description("Branches spawned and not yet settled in running sessions")
                .baseUnit(UNIT_BRANCHES)
                .strongReference(true)
                .register(registry);
        barrierWait = Timer.builder(BARRIER_WAIT)
                .description("Time barriers waited between opening and firing, by barrier kind")
                .withRegistry(registry);
        retries = Counter.builder(RETRIES)
                .description("Retries scheduled after a retryable step failure, by error category")
                .baseUnit(UNIT_RETRIES)
                .withRegistry(registry);
        timeouts = Counter.builder(TIMEOUTS)
                .description("Timeouts that fired, by the limit that fired")
                .baseUnit(UNIT_TIMEOUTS)
                .withRegistry(registry);
        tokens = Counter.builder(TOKENS)
                .description("Model tokens by agent and direction (input or output)")
                .baseUnit(UNIT_TOKENS)
                .withRegistry(registry);
        checkpointDuration = Timer.builder(CHECKPOINT_DURATION)
                .description("Time to write a session snapshot to storage, by backend")
                .withRegistry(registry);
        checkpointBytes = DistributionSummary.builder(CHECKPOINT_BYTES)
                .description("Size of each session snapshot written to storage")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
        Gauge.builder(SESSIONS_ACTIVE, live, LiveSessions::activeSessions)
                .description("Sessions running now (suspended sessions are not active)")
                .baseUnit(UNIT_SESSIONS)
                .strongReference(true)
                .register(registry);
        preRegister();
    }

    public void runEnded(RunStatus status) {
        runs.withTags(TAG_STATUS, tagValue(status)).increment();
    }

    public void runDuration(Duration duration) {
        runDuration.record(duration);
    }

    public void step(String agent, boolean success, Duration duration) {
        steps.withTags(TAG_AGENT, agent, TAG_OUTCOME, success ? OUTCOME_SUCCESS : OUTCOME_FAILURE)
                .increment();
        stepDuration.withTags(TAG_AGENT, agent).record(duration);
    }

    /** An agent call was given up while its thread was still inside the agent. */
    public void stepAbandoned(String agent) {
        stepsAbandoned.withTags(TAG_AGENT, agent).increment();
    }

    /** Adds token usage; agents that use no model (zero tokens) get no token series. */
    public void tokens(String agent, long input, long output) {
        if (input > 0) {
            tokens.withTags(TAG_AGENT, agent, TAG_DIRECTION, DIRECTION_INPUT).increment(input);
        }
        if (output > 0) {
            tokens.withTags(TAG_AGENT, agent, TAG_DIRECTION, DIRECTION_OUTPUT).increment(output);
        }
    }

    public void retry(ErrorCategory category) {
        retries.withTags(TAG_CATEGORY, tagValue(category)).increment();
    }

    public void timeout(TimeoutKind kind) {
        timeouts.withTags(TAG_KIND, tagValue(kind)).increment();
    }

    public void barrierWait(BarrierKind kind, Duration waited) {
        barrierWait.withTags(TAG_KIND, tagValue(kind)).record(waited);
    }

    public void checkpoint(String backend, long bytes, Duration duration) {
        checkpointDuration.withTags(TAG_BACKEND, backend).record(duration);
        checkpointBytes.record(bytes);
    }

    /** The tag value of an enum constant: its name in lowercase ({@code WAITING_FOR_USER} → {@code waiting_for_user}). */
    public static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private void preRegister() {
        for (RunStatus status : RunStatus.values()) {
            runs.withTags(TAG_STATUS, tagValue(status));
        }
        for (ErrorCategory category : ErrorCategory.values()) {
            if (category.isRetryable()) {
                retries.withTags(TAG_CATEGORY, tagValue(category));
            }
        }
        for (TimeoutKind kind : TimeoutKind.values()) {
            timeouts.withTags(TAG_KIND, tagValue(kind));
        }
    }
}
