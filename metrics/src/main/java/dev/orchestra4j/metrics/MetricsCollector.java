package dev.orchestra4j.metrics;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.StepInterceptor;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.metrics.internal.EventRecorder;
import dev.orchestra4j.metrics.internal.LiveSessions;
import dev.orchestra4j.metrics.internal.Meters;
import dev.orchestra4j.metrics.internal.MetricLookup;
import dev.orchestra4j.metrics.internal.RunObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OrchestraListener} that records the meters of SPEC §8 (named in {@link MetricNames}) to a Micrometer
 * {@link MeterRegistry}, and optionally Micrometer {@code Observation}s to an {@link ObservationRegistry}.
 *
 * <pre>{@code
 * MetricsCollector metrics = MetricsCollector.prometheus();
 * try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(9464, metrics)) {
 *     Orchestra.run(task, topology, RunOptions.builder().listener(metrics).build());
 * }
 * }</pre>
 *
 * <p><b>Cardinality.</b> No meter is tagged with a session id, branch id, prompt, user text or error message. Agent
 * names come from the topology and are therefore bounded, but a collector shared by many dynamically built topologies
 * could still see an unbounded stream of them; the collector admits the first {@link Builder#maxAgentTags(int)} distinct
 * agent names (default {@value #DEFAULT_MAX_AGENT_TAGS}) and records every later newcomer under the agent tag
 * {@code "other"}, logging a warning once. Storage backend names are capped the same way at 16.
 *
 * <p><b>Observations.</b> With an observation registry, the collector opens an {@code orchestra.run} observation per
 * run leg and an {@code orchestra.step} observation per agent step (its child), and records fired barriers and
 * checkpoints as instant children carrying the duration the engine measured as the high-cardinality key value
 * {@code measured.ms}; the session id is a high-cardinality key value. These spans are <em>reconstructed from events
 * delivered asynchronously</em>: they start and stop when the collector receives the events, not when the engine emitted
 * them, so their timing lags and may be stretched when the delivery queue backs up; the meters use the durations the
 * engine measured and are exact. These event-built spans are never current inside agent code; to make an agent's
 * own work a child of its step, add {@link #stepInterceptor()} to the run, which opens an observation around each
 * agent call on the call's own thread. Open observations are kept in tables bounded by
 * {@link Builder#maxTrackedSessions(int)} and {@link Builder#maxTrackedBranches(int)}, so dropped events never leak
 * memory; observations pushed out by the bound are stopped with outcome {@code evicted}.
 *
 * <p>Timers publish count, total and max; for percentiles or histograms configure the registry with a
 * {@code MeterFilter} (for example {@code DistributionStatisticConfig.builder().percentilesHistogram(true)} for
 * {@link MetricNames#STEP_DURATION}).
 *
 * <p>Use one collector per meter registry (its gauges are registered once). The collector is thread-safe and never
 * throws from {@link #onEvent}: failures are logged at WARN.
 */
public final class MetricsCollector implements OrchestraListener {

    /** Default cap on distinct agent tag values. */
    public static final int DEFAULT_MAX_AGENT_TAGS = 100;
    /** Default bound on sessions tracked for gauges and observations. */
    public static final int DEFAULT_MAX_TRACKED_SESSIONS = 10_000;
    /** Default bound on live branches tracked over all sessions. */
    public static final int DEFAULT_MAX_TRACKED_BRANCHES = 100_000;

    private static final Logger log = LoggerFactory.getLogger(MetricsCollector.class);

    private final MeterRegistry registry;
    private final ObservationRegistry observationRegistry;
    private final EventRecorder recorder;

    private MetricsCollector(Builder builder) {
        this.registry =
                builder.registry != null ? builder.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.observationRegistry = builder.observationRegistry;
        LiveSessions live = new LiveSessions(builder.maxTrackedSessions, builder.maxTrackedBranches);
        this.recorder = new EventRecorder(
                new Meters(registry, live), live, new RunObservations(observationRegistry), builder.maxAgentTags);
    }

    /** A collector recording to {@code registry}, without observations. */
    public static MetricsCollector of(MeterRegistry registry) {
        return builder().registry(registry).build();
    }

    /** A collector backed by a new {@code PrometheusMeterRegistry}, ready for {@link PrometheusEndpoint}. */
    public static MetricsCollector prometheus() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * A step interceptor ({@code RunOptions.builder().stepInterceptor(collector.stepInterceptor())}) that runs every
     * agent call inside an {@value MetricNames#OBSERVATION_AGENT_CALL} observation made current on the step's own
     * virtual thread: a tracing bridge then parents what the agent does (its model's HTTP calls, its own
     * observations) under it. The event-built {@value MetricNames#OBSERVATION_STEP} observations are unaffected.
     */
    public StepInterceptor stepInterceptor() {
        return (request, step) -> Observation.createNotStarted(MetricNames.OBSERVATION_AGENT_CALL, observationRegistry)
                .lowCardinalityKeyValue(MetricNames.TAG_AGENT, request.agent())
                .highCardinalityKeyValue(MetricNames.KEY_SESSION_ID, request.sessionId())
                .highCardinalityKeyValue(MetricNames.KEY_BRANCH_ID, request.branchId())
                .highCardinalityKeyValue(MetricNames.KEY_ATTEMPT, String.valueOf(request.attempt()))
                .observeChecked(step::proceed);
    }

    /**
     * One number by name, as MARSYS's {@code metrics.get_metric("total_tokens")}: {@code total_tokens},
     * {@code input_tokens}, {@code output_tokens}, {@code api_calls} (agent calls, every outcome), {@code total_steps},
     * {@code failed_steps}, {@code total_runs}, {@code retries}, {@code timeouts}, {@code active_branches},
     * {@code active_sessions}, or any meter name of {@link MetricNames} (summed over its tags). Events reach the
     * collector asynchronously: read after the run's listeners are drained ({@code RunOptions.awaitListeners}).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public double getMetric(String name) {
        return MetricLookup.value(registry, requireNonNull(name, "name"));
    }

    /** The observation registry ({@link ObservationRegistry#NOOP} unless one was given). */
    public ObservationRegistry observationRegistry() {
        return observationRegistry;
    }

    @Override
    public void onEvent(OrchestraEvent event) {
        try {
            recorder.onEvent(event);
        } catch (RuntimeException e) {
            log.warn("Failed to record {} of session '{}'", event.getClass().getSimpleName(), event.sessionId(), e);
        }
    }

    @Override
    public String toString() {
        return "MetricsCollector[" + registry.getClass().getSimpleName() + "]";
    }

    /** Configures a {@link MetricsCollector}; every setter checks its argument at once. */
    public static final class Builder {

        private @Nullable MeterRegistry registry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private int maxAgentTags = DEFAULT_MAX_AGENT_TAGS;
        private int maxTrackedSessions = DEFAULT_MAX_TRACKED_SESSIONS;
        private int maxTrackedBranches = DEFAULT_MAX_TRACKED_BRANCHES;

        private Builder() {}

        /** The meter registry; a new {@code PrometheusMeterRegistry} when not set. */
        public Builder registry(MeterRegistry registry) {
            this.registry = requireNonNull(registry, "registry");
            return this;
        }

        /** Where run, step, barrier and checkpoint observations go; none when not set. */
        public Builder observationRegistry(ObservationRegistry observationRegistry) {
            this.observationRegistry = requireNonNull(observationRegistry, "observationRegistry");
            return this;
        }

        /** How many distinct agent names become tag values before newcomers are tagged {@code "other"}. */
        public Builder maxAgentTags(int maxAgentTags) {
            if (maxAgentTags < 1) {
                throw new IllegalArgumentException("maxAgentTags must be positive, was " + maxAgentTags);
            }
            this.maxAgentTags = maxAgentTags;
            return this;
        }

        /** How many running sessions are tracked (least recently active evicted first). */
        public Builder maxTrackedSessions(int maxTrackedSessions) {
            if (maxTrackedSessions < 1) {
                throw new IllegalArgumentException("maxTrackedSessions must be positive, was " + maxTrackedSessions);
            }
            this.maxTrackedSessions = maxTrackedSessions;
            return this;
        }

        /** How many live branches are tracked over all sessions (beyond it, new branches are not counted). */
        public Builder maxTrackedBranches(int maxTrackedBranches) {
            if (maxTrackedBranches < 1) {
                throw new IllegalArgumentException("maxTrackedBranches must be positive, was " + maxTrackedBranches);
            }
            this.maxTrackedBranches = maxTrackedBranches;
            return this;
        }

        public MetricsCollector build() {
            return new MetricsCollector(this);
        }
    }
}
