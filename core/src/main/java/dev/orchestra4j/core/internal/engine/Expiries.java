package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.TimeoutKind;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which deadline means what when it comes due: the run's {@code runTimeout} ends the leg TIMED_OUT (or, with only a
 * follow-up offer pending, COMPLETED), a branch or barrier times out, a retry becomes runnable, a question or a
 * follow-up offer expires. A deadline that is stale by now (its entity settled or re-armed) does nothing.
 */
final class Expiries {

    private Expiries() {}

    static void fire(Coordinator c, Lifecycle life, Deadlines.Deadline due) {
        switch (due.kind()) {
            case RUN -> runTimedOut(c, life);
            case BRANCH -> branchTimedOut(c, c.state.branches.get(due.id()));
            case BARRIER -> barrierTimedOut(c, c.state.barriers.get(due.id()));
            case RETRY -> retryDue(c, c.state.branches.get(due.id()));
            case QUESTION -> c.users.deadline(due.id());
            case FOLLOW_UP -> life.followUps().timedOut(c, life, due.id());
        }
    }

    private static void runTimedOut(Coordinator c, Lifecycle life) {
        if (life.followUps().isPending()) {
            life.stop(c, RunStatus.COMPLETED, null); // the run itself completed; only the offer of a follow-up ends
            return;
        }
        Duration limit = c.spec.runTimeout().orElseThrow();
        c.state.timeouts++;
        c.telemetry.emit(() ->
                new OrchestraEvent.TimeoutFired(c.spec.sessionId(), c.now(), null, TimeoutKind.RUN, "run", limit));
        String message = "the run timed out after " + limit + " (runTimeout)";
        c.state.aliveBranches().forEach(b -> {
            if (b.materialized) {
                c.telemetry.note(b, TraceStep.Action.TIMEOUT, List.of(), null, message);
            }
        });
        life.stop(c, RunStatus.TIMED_OUT, message);
    }

    private static void branchTimedOut(Coordinator c, @Nullable Branch b) {
        if (b == null || !b.isAlive() || !b.materialized || b.deadlineMillis > c.nowMillis() || b.waitingOn() != null) {
            return;
        }
        Duration limit = c.spec.execution().branchTimeout();
        String message = b + " timed out after " + limit + " (branchTimeout)";
        c.state.timeouts++;
        c.telemetry.emit(() ->
                new OrchestraEvent.TimeoutFired(c.spec.sessionId(), c.now(), b.id, TimeoutKind.BRANCH, b.node, limit));
        c.telemetry.note(b, TraceStep.Action.TIMEOUT, List.of(), null, message);
        c.settlement.settle(b, BranchStatus.TIMED_OUT, message);
    }

    private static void barrierTimedOut(Coordinator c, @Nullable Barrier x) {
        int pending = x == null ? 0 : c.state.candidates.pendingCount(x.id);
        if (x == null || !x.isOpen() || pending == 0 || x.deadlineMillis > c.nowMillis()) {
            return;
        }
        Duration limit = c.spec.execution().convergenceTimeout();
        c.state.timeouts++;
        c.telemetry.emit(() -> new OrchestraEvent.TimeoutFired(
                c.spec.sessionId(), c.now(), x.resolver, TimeoutKind.CONVERGENCE, x.node, limit));
        Branch resolver = x.resolver == null ? null : c.state.branches.get(x.resolver);
        String message = x.describe() + " timed out after " + limit + " (convergenceTimeout) with " + x.arrivals.size()
                + " arrived and " + pending + " still running";
        if (resolver != null && resolver.materialized) {
            c.telemetry.note(resolver, TraceStep.Action.TIMEOUT, List.of(), null, message);
        }
        x.stragglers = pending;
        c.gates.decide(x);
    }

    private static void retryDue(Coordinator c, @Nullable Branch b) {
        if (b != null && b.state() instanceof BranchState.RetryAt retry && retry.notBeforeMillis() <= c.nowMillis()) {
            c.queue.makeRunnable(b, "its retry came due");
        }
    }
}
