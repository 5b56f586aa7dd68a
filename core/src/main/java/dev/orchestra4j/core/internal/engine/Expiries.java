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

    static void fire(Machine m, Lifecycle life, Deadlines.Deadline due) {
        switch (due.kind()) {
            case RUN -> runTimedOut(m, life);
            case BRANCH -> branchTimedOut(m, m.state.branches.get(due.id()));
            case BARRIER -> barrierTimedOut(m, m.state.barriers.get(due.id()));
            case RETRY -> retryDue(m, m.state.branches.get(due.id()));
            case QUESTION -> m.users.deadline(due.id());
            case FOLLOW_UP -> life.followUps().timedOut(m, life, due.id());
        }
    }

    private static void runTimedOut(Machine m, Lifecycle life) {
        if (life.followUps().isPending()) {
            life.stop(m, RunStatus.COMPLETED, null); // the run itself completed; only the offer of a follow-up ends
            return;
        }
        Duration limit = m.spec.runTimeout().orElseThrow();
        m.state.timeouts++;
        m.telemetry.emit(() ->
                new OrchestraEvent.TimeoutFired(m.spec.sessionId(), m.now(), null, TimeoutKind.RUN, "run", limit));
        String message = "the run timed out after " + limit + " (runTimeout)";
        m.state.aliveBranches().forEach(b -> {
            if (b.materialized) {
                m.telemetry.note(b, TraceStep.Action.TIMEOUT, List.of(), null, message);
            }
        });
        life.stop(m, RunStatus.TIMED_OUT, message);
    }

    private static void branchTimedOut(Machine m, @Nullable Branch b) {
        if (b == null || !b.isAlive() || !b.materialized || b.deadlineMillis > m.nowMillis() || b.waitingOn() != null) {
            return;
        }
        Duration limit = m.spec.execution().branchTimeout();
        String message = b + " timed out after " + limit + " (branchTimeout)";
        m.state.timeouts++;
        m.telemetry.emit(() ->
                new OrchestraEvent.TimeoutFired(m.spec.sessionId(), m.now(), b.id, TimeoutKind.BRANCH, b.node, limit));
        m.telemetry.note(b, TraceStep.Action.TIMEOUT, List.of(), null, message);
        m.settlement.settle(b, BranchStatus.TIMED_OUT, message);
    }

    private static void barrierTimedOut(Machine m, @Nullable Barrier x) {
        int pending = x == null ? 0 : m.state.candidates.pendingCount(x.id);
        if (x == null || !x.isOpen() || pending == 0 || x.deadlineMillis > m.nowMillis()) {
            return;
        }
        Duration limit = m.spec.execution().convergenceTimeout();
        m.state.timeouts++;
        m.telemetry.emit(() -> new OrchestraEvent.TimeoutFired(
                m.spec.sessionId(), m.now(), x.resolver, TimeoutKind.CONVERGENCE, x.node, limit));
        Branch resolver = x.resolver == null ? null : m.state.branches.get(x.resolver);
        String message = x.describe() + " timed out after " + limit + " (convergenceTimeout) with " + x.arrivals.size()
                + " arrived and " + pending + " still running";
        if (resolver != null && resolver.materialized) {
            m.telemetry.note(resolver, TraceStep.Action.TIMEOUT, List.of(), null, message);
        }
        x.stragglers = pending;
        m.gates.decide(x);
    }

    private static void retryDue(Machine m, @Nullable Branch b) {
        if (b != null && b.state() instanceof BranchState.RetryAt retry && retry.notBeforeMillis() <= m.nowMillis()) {
            m.queue.makeRunnable(b, "its retry came due");
        }
    }
}
