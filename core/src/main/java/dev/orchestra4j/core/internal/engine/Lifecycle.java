package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one leg of a session starts and stops: fresh start or resume, run deadlines, pause, suspension while waiting
 * for the user, the end of the run when ROOT settles, and follow-up rounds.
 */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final FollowUps followUps;
    /** The session clock (SPEC §4.5): the run's elapsed time, and so {@code runTimeout} across legs, is measured on it. */
    private final Clock clock;

    private final long legStartNanos;
    /** Up to when this leg's time is counted in the session's elapsed time. */
    private long accountedNanos;

    private boolean stopped;
    private boolean quiescing;
    private @Nullable String pauseReason;
    private RunStatus status = RunStatus.FAILED;
    private @Nullable String error;

    Lifecycle(FollowUps followUps, Clock clock) {
        this.followUps = followUps;
        this.clock = clock;
        this.legStartNanos = nanos();
        this.accountedNanos = legStartNanos;
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    void begin(Coordinator c) {
        SessionState st = c.state;
        c.spec.runTimeout().ifPresent(limit -> c.timers.armRun(limit, st.elapsedNanosBefore));

        if (st.rootBarrier == null) {
            c.telemetry.emit(() -> new OrchestraEvent.RunStarted(
                    c.spec.sessionId(),
                    c.now(),
                    null,
                    c.plan.topology.digest(),
                    c.plan.topology.nodes().size()));
            startRound(c, c.spec.task());
            c.persistence.save(c, Persistence.RUNNING);
        } else {
            c.telemetry.emit(() -> new OrchestraEvent.RunResumed(c.spec.sessionId(), c.now(), null));
            reschedule(c);
            if (c.state.root().state() == Barrier.State.FIRED && c.queue.alive() == 0 && c.admission.size() == 0) {
                // the round had completed and the session waited for a follow-up (D6): offer it again
                if (!followUps.offer(c, this)) {
                    stop(c, RunStatus.COMPLETED, null);
                }
            }
        }
    }

    /** Opens a fresh ROOT and starts one branch per entry agent (the first round, or a follow-up). */
    void startRound(Coordinator c, Object input) {
        Barrier root = c.convergence.openRoot();
        for (String entry : c.plan.analysis.entryAgents()) {
            Branch b = c.queue.spawn(null, BarrierKind.ROOT, root.id, entry, input, Plan.START);
            followUps.carryMemory(b);
            c.convergence.register(b);
        }
        c.gates.markDirty(root.id);
    }

    /** After a resume: every waiting piece gets its deadline again, every runnable branch is queued again. */
    private void reschedule(Coordinator c) {
        for (Branch b : List.copyOf(c.state.branches.values())) {
            if (b.state() instanceof BranchState.Queued) {
                c.admission.hold(b); // queued by max_agents before the suspension (D5)
                continue;
            }
            if (!b.isAlive() || !b.materialized) {
                continue;
            }
            c.queue.resumed();
            c.timers.scheduleBranch(b);
            if (b.state() instanceof BranchState.RetryAt retry) {
                c.queue.retryAt(b, retry.notBeforeMillis(), "the session resumed");
            } else if (b.isRunnable()) {
                c.queue.makeRunnable(b, "the session resumed");
            }
        }
        c.state.barriers.values().stream()
                .filter(x -> x.isOpen() && x.kind != BarrierKind.ROOT)
                .forEach(x -> {
                    if (!x.arrivals.isEmpty() || !x.failed.isEmpty()) {
                        c.timers.scheduleBarrier(x); // its clock had started at its first arrival
                    }
                    c.gates.markDirty(x.id);
                });

        c.gates.markDirty(c.state.root().id);
    }

    boolean isStopped() {
        return stopped;
    }

    boolean isQuiescing() {
        return quiescing;
    }

    void requestPause(String reason) {
        if (!stopped) {
            quiescing = true;
            pauseReason = reason;
        }
    }

    /** Whether the session should stop here and wait: paused with nothing in flight, or only questions left. */
    boolean shouldSuspend(Coordinator c) {
        if (quiescing && c.steps.inFlight() == 0) {
            stop(c, RunStatus.PAUSED, null);
            followUps.withdraw(); // asked again on resume
            return true;
        }
        if (c.isIdle()
                && !c.state.questions.isEmpty()
                && c.spec.communication().suspendsOnQuestion()
                && onlyWaiting(c)) {
            stop(c, RunStatus.WAITING_FOR_USER, null);
            return true;
        }
        return false;
    }

    private static boolean onlyWaiting(Coordinator c) {
        for (Branch b : c.state.branches.values()) {
            if (b.materialized && b.status() == BranchStatus.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /** Stops the leg. Terminal statuses settle every live branch (running agents are interrupted). */
    void stop(Coordinator c, RunStatus how, @Nullable String why) {
        if (stopped) {
            return;
        }
        stopped = true;
        status = how;
        error = why;
        if (how == RunStatus.FAILED || how == RunStatus.TIMED_OUT || how == RunStatus.CANCELLED) {
            BranchStatus end = how == RunStatus.TIMED_OUT ? BranchStatus.TIMED_OUT : BranchStatus.ABANDONED;
            String reason = why == null ? "the run ended " + how : why;
            c.steps.interruptAll();
            c.state.aliveBranches().forEach(b -> c.settlement.settle(b, end, reason));
            c.state.barriers.values().stream()
                    .filter(Barrier::isOpen)
                    .forEach(x -> x.move(Barrier.State.CANCELLED, "the run ended " + how));
            c.state.openRendezvous.clear();
        }
    }

    void cancel(Coordinator c, String reason) {
        stop(c, RunStatus.CANCELLED, "cancelled: " + reason);
    }

    void rootSettled(Coordinator c, Barrier root) {
        if (stopped) {
            return;
        }
        root.move(Barrier.State.FIRED, "every branch of the round settled");
        String failure = rootFailure(c, root);
        c.telemetry.emit(() -> new OrchestraEvent.BarrierFired(
                c.spec.sessionId(),
                c.now(),
                null,
                root.id,
                BarrierKind.ROOT,
                root.node,
                root.arrivals.size(),
                root.failed.size(),
                Duration.between(root.openedAt, c.now()),
                failure == null));
        if (failure != null) {
            stop(c, RunStatus.FAILED, failure);
            return;
        }
        root.arrivals.forEach(a -> c.state.finalResponses.add(a.value()));
        if (!followUps.offer(c, this)) {
            stop(c, RunStatus.COMPLETED, null);
        }
    }

    private static @Nullable String rootFailure(Coordinator c, Barrier root) {
        int arrived = root.arrivals.size();
        int failed = root.failed.size();
        if (arrived == 0 && failed == 0) {
            return "no branch delivered a result to the run (every branch was abandoned or skipped)";
        }
        if (failed == 0 || (double) arrived / (arrived + failed) >= root.policy.minRatio()) {
            return null;
        }
        return String.join("; ", root.failed.values());
    }

    void crash(Coordinator c, Throwable e) {
        LOG.error("session '{}' failed inside the engine", c.spec.sessionId(), e);
        stopped = false;
        stop(c, RunStatus.FAILED, "internal engine error: " + StepRunner.describe(e));
    }

    /**
     * Adds the time since the last count to the session's elapsed time; called before every save, so a leg that
     * crashes has its time counted up to its last commit and {@code runTimeout} holds across recoveries (C6).
     */
    void account(Coordinator c) {
        long now = nanos();
        c.state.elapsedNanosBefore += now - accountedNanos;
        accountedNanos = now;
    }

    OrchestraResult end(Coordinator c) {
        long legNanos = nanos() - legStartNanos;
        account(c);
        c.persistence.save(c, status.name());
        c.persistence.faults.throwIfStorageFailed(c);
        String lost = c.persistence.faults.lostReason();
        if (lost != null && status != RunStatus.FAILED) { // an end this process could not store is no end
            status = RunStatus.FAILED;
            error = lost;
        }
        OrchestraResult result = Results.assemble(c, status, error);
        if (status == RunStatus.PAUSED) {
            String reason = pauseReason == null ? "paused" : pauseReason;
            c.telemetry.emit(() -> new OrchestraEvent.RunPaused(c.spec.sessionId(), c.now(), null, reason));
        } else {
            c.telemetry.emit(() -> new OrchestraEvent.RunCompleted(
                    c.spec.sessionId(), c.now(), null, status, Duration.ofNanos(legNanos), c.state.steps, error));
        }
        return result;
    }

    FollowUps followUps() {
        return followUps;
    }
}
