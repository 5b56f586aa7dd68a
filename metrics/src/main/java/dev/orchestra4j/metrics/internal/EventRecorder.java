package dev.orchestra4j.metrics.internal;

import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraEvent.BarrierFired;
import dev.orchestra4j.core.event.OrchestraEvent.BranchSettled;
import dev.orchestra4j.core.event.OrchestraEvent.BranchSpawned;
import dev.orchestra4j.core.event.OrchestraEvent.CheckpointSaved;
import dev.orchestra4j.core.event.OrchestraEvent.RetryScheduled;
import dev.orchestra4j.core.event.OrchestraEvent.RunCompleted;
import dev.orchestra4j.core.event.OrchestraEvent.RunPaused;
import dev.orchestra4j.core.event.OrchestraEvent.RunResumed;
import dev.orchestra4j.core.event.OrchestraEvent.RunStarted;
import dev.orchestra4j.core.event.OrchestraEvent.StepAbandoned;
import dev.orchestra4j.core.event.OrchestraEvent.StepCompleted;
import dev.orchestra4j.core.event.OrchestraEvent.StepFailed;
import dev.orchestra4j.core.event.OrchestraEvent.StepStarted;
import dev.orchestra4j.core.event.OrchestraEvent.TimeoutFired;
import dev.orchestra4j.core.event.OrchestraEvent.UserAnswered;
import dev.orchestra4j.core.event.OrchestraEvent.UserQuestionAsked;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.metrics.MetricNames;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns each event into meter updates, live-state changes and observations. One exhaustive switch: a new event type in
 * core does not compile here until someone decides what it means for metrics.
 */
public final class EventRecorder implements OrchestraListener {

    /** Storage backend names are few (memory, file, jdbc, redis); a cap still guards custom backends. */
    public static final int MAX_BACKEND_TAGS = 16;

    private final Meters meters;
    private final LiveSessions live;
    private final RunObservations observations;
    private final CappedTagValues agents;
    private final CappedTagValues backends = new CappedTagValues(MetricNames.TAG_BACKEND, MAX_BACKEND_TAGS);

    public EventRecorder(Meters meters, LiveSessions live, RunObservations observations, int maxAgentTags) {
        this.meters = meters;
        this.live = live;
        this.observations = observations;
        this.agents = new CappedTagValues(MetricNames.TAG_AGENT, maxAgentTags);
    }

    @Override
    public void onEvent(OrchestraEvent event) {
        switch (event) {
            case RunStarted e -> open(e.sessionId(), MetricNames.TRIGGER_STARTED);
            case RunResumed e -> open(e.sessionId(), MetricNames.TRIGGER_RESUMED);
            case StepStarted e -> stepStarted(e);
            case StepCompleted e -> stepCompleted(e);
            case StepFailed e -> stepFailed(e);
            case StepAbandoned e -> meters.stepAbandoned(agents.valueOf(e.agent()));
            case RetryScheduled e -> meters.retry(e.category());
            case BranchSpawned e -> live.addBranch(e.sessionId(), branch(e.branchId()));
            case BranchSettled e -> live.removeBranch(e.sessionId(), branch(e.branchId()));
            case BarrierFired e -> {
                meters.barrierWait(e.kind(), e.waited());
                observations.barrierFired(live.run(e.sessionId()), e);
            }
            case TimeoutFired e -> meters.timeout(e.kind());
            case UserQuestionAsked e -> {
                // the session stays active while its question is pending; nothing to count
            }
            case UserAnswered e -> {
                // answers carry user text and a wait; neither is a meter of SPEC §8
            }
            case CheckpointSaved e -> checkpointSaved(e);
            case RunPaused e -> {
                if (close(e.sessionId(), RunStatus.PAUSED)) {
                    meters.runEnded(RunStatus.PAUSED);
                }
            }
            case RunCompleted e -> {
                boolean wasLive = close(e.sessionId(), e.status());
                if (e.status() != RunStatus.PAUSED || wasLive) {
                    meters.runEnded(e.status());
                }
                meters.runDuration(e.duration());
            }
        }
    }

    private void open(String sessionId, String trigger) {
        Observation previous = live.open(sessionId, observations.startRun(sessionId, trigger));
        if (previous != null) {
            observations.abandon(previous, MetricNames.OUTCOME_ABANDONED);
        }
        for (LiveSessions.Leftovers evicted : live.drainEvicted()) {
            evicted.steps().forEach(step -> observations.abandon(step, MetricNames.STATUS_EVICTED));
            if (evicted.run() != null) {
                observations.abandon(evicted.run(), MetricNames.STATUS_EVICTED);
            }
        }
    }

    /**
     * Ends a session's live state and observations; returns whether it was live. A pause may arrive as
     * {@code RunPaused}, as {@code RunCompleted(PAUSED)} or as both; it is counted once, by whichever ends the session.
     */
    private boolean close(String sessionId, RunStatus status) {
        LiveSessions.Leftovers leftovers = live.close(sessionId);
        if (leftovers == null) {
            return false;
        }
        leftovers.steps().forEach(step -> observations.abandon(step, MetricNames.OUTCOME_ABANDONED));
        if (leftovers.run() != null) {
            observations.stopRun(leftovers.run(), status);
        }
        return true;
    }

    private void stepStarted(StepStarted e) {
        String branch = branch(e.branchId());
        Observation run = live.run(e.sessionId());
        if (run == null || !observations.isEnabled()) {
            live.addBranch(e.sessionId(), branch);
            return;
        }
        Observation step = observations.startStep(run, e, agents.valueOf(e.agent()), branch);
        Observation abandoned = live.putStep(e.sessionId(), branch, step);
        if (abandoned != null) {
            observations.abandon(abandoned, MetricNames.OUTCOME_ABANDONED);
        }
    }

    private void stepCompleted(StepCompleted e) {
        String agent = agents.valueOf(e.agent());
        meters.step(agent, true, e.duration());
        meters.tokens(agent, e.inputTokens(), e.outputTokens());
        Observation step = live.takeStep(e.sessionId(), branch(e.branchId()));
        if (step != null) {
            observations.stepSucceeded(step, e.action());
        }
    }

    private void stepFailed(StepFailed e) {
        meters.step(agents.valueOf(e.agent()), false, e.duration());
        Observation step = live.takeStep(e.sessionId(), branch(e.branchId()));
        if (step != null) {
            observations.stepFailed(step, e.category());
        }
    }

    private void checkpointSaved(CheckpointSaved e) {
        String backend = backends.valueOf(e.backend());
        meters.checkpoint(backend, e.bytes(), e.duration());
        observations.checkpointSaved(live.run(e.sessionId()), e, backend);
    }

    private static String branch(@Nullable String branchId) {
        return Objects.requireNonNullElse(branchId, "");
    }
}
