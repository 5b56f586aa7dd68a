package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.time.Duration;
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

    private boolean stopped;
    private boolean quiescing;
    private @Nullable String pauseReason;
    private RunStatus status = RunStatus.FAILED;
    private @Nullable String error;

    Lifecycle(FollowUps followUps) {
        this.followUps = followUps;
    }

    /** The leg begins. Returns whether it started the run afresh (the shell then commits its first state at once). */
    boolean begin(Machine m) {
        SessionState st = m.state;
        m.users.takeOverPending();
        m.spec.runTimeout().ifPresent(limit -> m.timers.armRun(limit, st.elapsedNanosBefore));

        if (st.rootBarrier == null) {
            m.telemetry.emit(() -> new OrchestraEvent.RunStarted(
                    m.spec.sessionId(),
                    m.now(),
                    null,
                    m.plan.topology.digest(),
                    m.plan.topology.nodes().size()));
            startRound(m, m.spec.task());
            return true;
        }
        m.telemetry.emit(() -> new OrchestraEvent.RunResumed(m.spec.sessionId(), m.now(), null));
        forgetLastLeg(m);
        reschedule(m);
        if (m.state.root().state() == Barrier.State.FIRED && m.queue.alive() == 0 && m.admission.size() == 0) {
            // the round had completed and the session waited for a follow-up (D6): offer it again
            if (!followUps.offer(m, this)) {
                stop(m, RunStatus.COMPLETED, null);
            }
        }
        return false;
    }

    /** Opens a fresh ROOT and starts one branch per entry agent (the first round, or a follow-up). */
    void startRound(Machine m, Object input) {
        Barrier root = m.convergence.openRoot();
        for (String entry : m.plan.analysis.entryAgents()) {
            Branch b = m.queue.spawn(null, BarrierKind.ROOT, root.id, entry, input, Plan.START);
            followUps.carryMemory(b);
            m.convergence.register(b);
        }
        m.gates.markDirty(root.id);
    }

    /**
     * A resumed leg starts from what its snapshot says, nothing more: the last leg's step tokens and clocks, which a
     * snapshot does not keep, are dropped here too, so a replay of this leg from that snapshot decides as it does.
     */
    private static void forgetLastLeg(Machine m) {
        for (Branch b : m.state.branches.values()) {
            b.stepToken = 0;
            b.stepNumber = 0;
            b.deadlineMillis = Long.MAX_VALUE;
            b.remainingMillis = Long.MAX_VALUE;
        }
        m.state.barriers.values().forEach(x -> x.deadlineMillis = Long.MAX_VALUE);
    }

    /** After a resume: every waiting piece gets its deadline again, every runnable branch is queued again. */
    private void reschedule(Machine m) {
        for (Branch b : List.copyOf(m.state.branches.values())) {
            if (b.state() instanceof BranchState.Queued) {
                m.admission.hold(b); // queued by max_agents before the suspension (D5)
                continue;
            }
            if (!b.isAlive() || !b.materialized) {
                continue;
            }
            m.queue.resumed();
            m.timers.scheduleBranch(b);
            if (b.state() instanceof BranchState.RetryAt retry) {
                m.queue.retryAt(b, retry.notBeforeMillis(), "the session resumed");
            } else if (b.isRunnable()) {
                m.queue.makeRunnable(b, "the session resumed");
            }
        }
        m.state.barriers.values().stream()
                .filter(x -> x.isOpen() && x.kind != BarrierKind.ROOT)
                .forEach(x -> {
                    if (!x.arrivals.isEmpty() || !x.failed.isEmpty()) {
                        m.timers.scheduleBarrier(x); // its clock had started at its first arrival
                    }
                    m.gates.markDirty(x.id);
                });

        m.gates.markDirty(m.state.root().id);
    }

    /** Puts a pending pause back as a snapshot's {@link MachinePart} says (a running leg is never stopped). */
    void restore(boolean pausing, @Nullable String reason) {
        quiescing = pausing;
        pauseReason = reason;
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
    boolean shouldSuspend(Machine m) {
        if (quiescing && m.stepping.running() == 0) {
            stop(m, RunStatus.PAUSED, null);
            followUps.withdraw(); // asked again on resume
            return true;
        }
        if (m.isIdle()
                && !m.state.questions.isEmpty()
                && m.spec.communication().suspendsOnQuestion()
                && onlyWaiting(m)) {
            stop(m, RunStatus.WAITING_FOR_USER, null);
            return true;
        }
        return false;
    }

    private static boolean onlyWaiting(Machine m) {
        for (Branch b : m.state.branches.values()) {
            if (b.materialized && b.status() == BranchStatus.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /** Stops the leg. Terminal statuses settle every live branch (running agents are interrupted). */
    void stop(Machine m, RunStatus how, @Nullable String why) {
        if (stopped) {
            return;
        }
        stopped = true;
        status = how;
        error = why;
        if (how == RunStatus.FAILED || how == RunStatus.TIMED_OUT || how == RunStatus.CANCELLED) {
            BranchStatus end = how == RunStatus.TIMED_OUT ? BranchStatus.TIMED_OUT : BranchStatus.ABANDONED;
            String reason = why == null ? "the run ended " + how : why;
            m.telemetry.effects.interruptAll();
            m.state.aliveBranches().forEach(b -> m.settlement.settle(b, end, reason));
            m.state.barriers.values().stream()
                    .filter(Barrier::isOpen)
                    .forEach(x -> x.move(Barrier.State.CANCELLED, "the run ended " + how));
            m.state.openRendezvous.clear();
        }
    }

    void cancel(Machine m, String reason) {
        boolean completed =
                followUps.isPending(); // the run completed: only the offer of a follow-up ends (as on timeout)
        followUps.withdraw(); // a prompt the channel still shows is taken back, like a question
        if (completed) {
            stop(m, RunStatus.COMPLETED, null);
        } else {
            stop(m, RunStatus.CANCELLED, "cancelled: " + reason);
        }
    }

    void rootSettled(Machine m, Barrier root) {
        if (stopped) {
            return;
        }
        root.move(Barrier.State.FIRED, "every branch of the round settled");
        String failure = rootFailure(m, root);
        m.telemetry.emit(() -> new OrchestraEvent.BarrierFired(
                m.spec.sessionId(),
                m.now(),
                null,
                root.id,
                BarrierKind.ROOT,
                root.node,
                root.arrivals.size(),
                root.failed.size(),
                Duration.between(root.openedAt, m.now()),
                failure == null));
        if (failure != null) {
            stop(m, RunStatus.FAILED, failure);
            return;
        }
        root.arrivals.forEach(a -> m.state.finalResponses.add(a.value()));
        if (!followUps.offer(m, this)) {
            stop(m, RunStatus.COMPLETED, null);
        }
    }

    private static @Nullable String rootFailure(Machine m, Barrier root) {
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

    void crash(Machine m, Throwable e) {
        LOG.error("session '{}' failed inside the engine", m.spec.sessionId(), e);
        stopped = false;
        stop(m, RunStatus.FAILED, "internal engine error: " + Stepping.describe(e));
    }

    RunStatus status() {
        return status;
    }

    @Nullable
    String error() {
        return error;
    }

    @Nullable
    String pauseReason() {
        return pauseReason;
    }

    /** The final save of an ended leg did not go through: what this process could not store is no end. */
    void endLost(String why) {
        if (status != RunStatus.FAILED) {
            status = RunStatus.FAILED;
            error = why;
        }
    }

    FollowUps followUps() {
        return followUps;
    }
}
