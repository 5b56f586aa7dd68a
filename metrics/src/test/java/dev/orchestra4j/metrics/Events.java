package dev.orchestra4j.metrics;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.BarrierKind;
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
import dev.orchestra4j.core.event.TimeoutKind;
import java.time.Duration;
import java.time.Instant;

/** Synthetic events of one session, all stamped with the same fixed instant, for feeding a listener in tests. */
final class Events {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final String session;

    private Events(String session) {
        this.session = session;
    }

    static Events session(String sessionId) {
        return new Events(sessionId);
    }

    RunStarted runStarted() {
        return new RunStarted(session, T0, null, "digest", 3);
    }

    RunResumed runResumed() {
        return new RunResumed(session, T0, null);
    }

    RunPaused runPaused() {
        return new RunPaused(session, T0, null, "operator");
    }

    RunCompleted runCompleted(RunStatus status, Duration duration) {
        return new RunCompleted(session, T0, null, status, duration, 1, null);
    }

    BranchSpawned branchSpawned(String branch, String agent) {
        return new BranchSpawned(session, T0, branch, null, agent, BarrierKind.ROOT);
    }

    BranchSettled branchSettled(String branch, String agent) {
        return new BranchSettled(session, T0, branch, agent, BranchStatus.COMPLETED, Duration.ofMillis(5), 1);
    }

    StepStarted stepStarted(String branch, String agent) {
        return new StepStarted(session, T0, branch, agent, 1, 1);
    }

    StepCompleted stepCompleted(String branch, String agent, Duration duration, long in, long out) {
        return new StepCompleted(session, T0, branch, agent, 1, 1, "finish", duration, in, out, 0);
    }

    StepFailed stepFailed(String branch, String agent, ErrorCategory category, Duration duration) {
        return new StepFailed(session, T0, branch, agent, 1, 1, category, "secret user text", duration, true);
    }

    StepAbandoned stepAbandoned(String branch, String agent) {
        return new StepAbandoned(session, T0, branch, agent, 1, 1, "its step timed out");
    }

    RetryScheduled retryScheduled(String branch, String agent, ErrorCategory category) {
        return new RetryScheduled(session, T0, branch, agent, 2, category, Duration.ofSeconds(1));
    }

    BarrierFired barrierFired(BarrierKind kind, Duration waited) {
        return new BarrierFired(session, T0, "b-1", "barrier-1", kind, "Aggregator", 2, 0, waited, true);
    }

    TimeoutFired timeoutFired(TimeoutKind kind) {
        return new TimeoutFired(session, T0, "b-1", kind, "Researcher", Duration.ofSeconds(1));
    }

    UserQuestionAsked userQuestionAsked() {
        return new UserQuestionAsked(session, T0, "b-1", "q-1", "Researcher", "what now?");
    }

    UserAnswered userAnswered() {
        return new UserAnswered(session, T0, "b-1", "q-1", Duration.ofSeconds(3), false);
    }

    CheckpointSaved checkpointSaved(String backend, long bytes, Duration duration) {
        return new CheckpointSaved(session, T0, null, backend, bytes, duration, null);
    }

    /** A whole successful run: two Researcher steps and one Writer step on one branch. */
    void feedSuccessfulRun(OrchestraListener listener) {
        feed(
                listener,
                runStarted(),
                branchSpawned("b-1", "Researcher"),
                stepStarted("b-1", "Researcher"),
                stepCompleted("b-1", "Researcher", Duration.ofMillis(10), 100, 20),
                stepStarted("b-1", "Researcher"),
                stepCompleted("b-1", "Researcher", Duration.ofMillis(30), 50, 10),
                stepStarted("b-1", "Writer"),
                stepCompleted("b-1", "Writer", Duration.ofMillis(20), 0, 0),
                branchSettled("b-1", "Writer"),
                runCompleted(RunStatus.COMPLETED, Duration.ofMillis(70)));
    }

    static void feed(OrchestraListener listener, OrchestraEvent... events) {
        for (OrchestraEvent event : events) {
            listener.onEvent(event);
        }
    }
}
