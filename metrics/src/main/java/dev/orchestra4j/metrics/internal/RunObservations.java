package dev.orchestra4j.metrics.internal;

import static dev.orchestra4j.metrics.MetricNames.*;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent.BarrierFired;
import dev.orchestra4j.core.event.OrchestraEvent.CheckpointSaved;
import dev.orchestra4j.core.event.OrchestraEvent.StepStarted;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Starts and stops Micrometer observations for the facts the events carry. Holds no state: {@link LiveSessions} keeps
 * the open ones. Error payloads never carry agent or user text, only the category or status.
 */
public final class RunObservations {

    private final ObservationRegistry registry;

    public RunObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** Whether observations are recorded at all (a no-op registry makes every call here free). */
    public boolean isEnabled() {
        return !registry.isNoop();
    }

    public Observation startRun(String sessionId, String trigger) {
        return Observation.createNotStarted(OBSERVATION_RUN, registry)
                .contextualName("orchestra run")
                .lowCardinalityKeyValue(KEY_TRIGGER, trigger)
                .highCardinalityKeyValue(KEY_SESSION_ID, sessionId)
                .start();
    }

    public void stopRun(Observation run, RunStatus status) {
        run.lowCardinalityKeyValue(TAG_STATUS, Meters.tagValue(status));
        if (status == RunStatus.FAILED || status == RunStatus.TIMED_OUT) {
            run.error(new EventFailure("run ended " + Meters.tagValue(status)));
        }
        run.stop();
    }

    public Observation startStep(@Nullable Observation run, StepStarted event, String agentTag, String branchId) {
        return Observation.createNotStarted(OBSERVATION_STEP, registry)
                .contextualName("orchestra step " + agentTag)
                .parentObservation(run)
                .lowCardinalityKeyValue(TAG_AGENT, agentTag)
                .highCardinalityKeyValue(KEY_SESSION_ID, event.sessionId())
                .highCardinalityKeyValue(KEY_BRANCH_ID, branchId)
                .highCardinalityKeyValue(KEY_STEP, Integer.toString(event.step()))
                .highCardinalityKeyValue(KEY_ATTEMPT, Integer.toString(event.attempt()))
                .start();
    }

    public void stepSucceeded(Observation step, String action) {
        step.lowCardinalityKeyValue(TAG_OUTCOME, OUTCOME_SUCCESS)
                .lowCardinalityKeyValue(KEY_ACTION, action)
                .stop();
    }

    public void stepFailed(Observation step, ErrorCategory category) {
        step.lowCardinalityKeyValue(TAG_OUTCOME, OUTCOME_FAILURE)
                .lowCardinalityKeyValue(KEY_ERROR_CATEGORY, Meters.tagValue(category))
                .error(new EventFailure("step failed: " + Meters.tagValue(category)))
                .stop();
    }

    /** Stops an observation whose end was never reported; {@code outcome} tells why. */
    public void abandon(Observation observation, String outcome) {
        observation.lowCardinalityKeyValue(TAG_OUTCOME, outcome).stop();
    }

    /** Records a fired barrier as an instant child of the run; the engine's measured wait is a key value. */
    public void barrierFired(@Nullable Observation run, BarrierFired event) {
        instant(OBSERVATION_BARRIER, run, event.sessionId(), event.waited())
                .lowCardinalityKeyValue(TAG_KIND, Meters.tagValue(event.kind()))
                .lowCardinalityKeyValue(TAG_OUTCOME, event.success() ? OUTCOME_SUCCESS : OUTCOME_FAILURE)
                .highCardinalityKeyValue(KEY_NODE, event.node())
                .start()
                .stop();
    }

    /** Records a checkpoint as an instant child of the run; the engine's measured duration is a key value. */
    public void checkpointSaved(@Nullable Observation run, CheckpointSaved event, String backendTag) {
        instant(OBSERVATION_CHECKPOINT, run, event.sessionId(), event.duration())
                .lowCardinalityKeyValue(TAG_BACKEND, backendTag)
                .highCardinalityKeyValue(KEY_BYTES, Long.toString(event.bytes()))
                .start()
                .stop();
    }

    private Observation instant(String name, @Nullable Observation run, String sessionId, Duration measured) {
        return Observation.createNotStarted(name, registry)
                .parentObservation(run)
                .highCardinalityKeyValue(KEY_SESSION_ID, sessionId)
                .highCardinalityKeyValue(KEY_MEASURED_MILLIS, Double.toString(measured.toNanos() / 1_000_000.0));
    }

    /** The error attached to failed observations: a category or status only, no stack trace, no user text. */
    static final class EventFailure extends RuntimeException {
        EventFailure(String message) {
            super(message, null, false, false);
        }
    }
}
