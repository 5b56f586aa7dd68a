package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ends branches, each exactly once: the move to SETTLED, the failure it leaves at its target, its withdrawal from
 * every barrier that still expected it, and the cascade to what it was running, asking or waiting on.
 */
final class Settlement {

    /** The move's event text per status, built once (every branch settles). */
    private static final String[] ENDED = java.util.Arrays.stream(BranchStatus.values())
            .map(s -> "it ended " + s)
            .toArray(String[]::new);

    private final Machine m;
    private final SessionState st;

    Settlement(Machine machine) {
        this.m = machine;
        this.st = machine.state;
    }

    /** Settles {@code b} exactly once, withdrawing it from every barrier and cascading to what it waited on. */
    void settle(Branch b, BranchStatus status, @Nullable String error) {
        if (!b.isAlive()) {
            return;
        }
        BranchState was = b.state();
        b.move(new BranchState.Settled(status, error), ENDED[status.ordinal()]);
        b.endedAt = m.now();
        m.timers.stopBranchClock(b); // its clocks go with it (D23)
        m.timers.cancel(Deadlines.Kind.RETRY, b.id);
        if (status == BranchStatus.FAILED || status == BranchStatus.TIMED_OUT) {
            failInto(b, status, error);
        }
        for (String id : st.candidates.removeBranch(b.id)) {
            if (status == BranchStatus.COMPLETED && st.barrier(id).kind == BarrierKind.FORK) {
                st.barrier(id).handedOn++; // it completed elsewhere (through a rendezvous): the fork's work went on
            }
            m.gates.markDirty(id);
        }
        leave(b, was, status);
        if (b.materialized) {
            m.queue.settled();
            m.gates.markDirty(java.util.Objects.requireNonNull(st.rootBarrier, "rootBarrier"));
            m.telemetry.emit(() -> new OrchestraEvent.BranchSettled(
                    m.spec.sessionId(),
                    m.now(),
                    b.id,
                    b.node,
                    status,
                    Duration.between(b.createdAt, b.endedAt),
                    b.steps));
        }
    }

    /** A failed branch that delivered nothing counts as a failed source of its target. */
    private void failInto(Branch b, BranchStatus status, @Nullable String error) {
        Barrier target = st.barrier(b.target);
        if (target.isOpen() && !b.delivered) {
            target.fail(b.id, error == null ? status.name() : error);
            m.convergence.firstArrival(target);
            m.gates.markDirty(target.id);
        }
    }

    /** What the branch was doing ends with it: its step, its question, the barrier it waited on. */
    private void leave(Branch b, BranchState was, BranchStatus status) {
        if (was instanceof BranchState.Running running && running.token() == b.stepToken) {
            m.stepping.cancel(b, "its branch ended " + status);
        }
        if (was instanceof BranchState.Asking asking) {
            m.users.dropQuestion(asking.question());
        }
        String waitedOn = was.barrier();
        if (waitedOn != null && st.barrier(waitedOn).isOpen()) {
            m.convergence.cancel(st.barrier(waitedOn), "its resolver " + b + " ended " + status);
        }
    }

    /** Abandons the live branches among {@code branchIds}: visible ones settle, invisible ones are dropped. */
    void abandon(List<String> branchIds, String reason) {
        for (String id : branchIds) {
            Branch b = st.branches.get(id);
            if (b != null && b.isAlive()) {
                if (b.materialized) {
                    settle(b, BranchStatus.ABANDONED, reason);
                } else {
                    cancelInvisible(b, reason);
                }
            }
        }
    }

    private void cancelInvisible(Branch b, String reason) {
        String waitedOn = b.waitingOn();
        if (waitedOn != null && st.barrier(waitedOn).isOpen()) {
            m.convergence.cancel(st.barrier(waitedOn), reason); // drops b, its resolver, with it
            return;
        }
        m.admission.drop(b);
        dropInvisible(b, reason);
    }

    /**
     * Removes a branch that never became visible (a queued branch, a rendezvous resolver whose barrier closed without
     * firing): it leaves no result, and the barriers that expected it look again.
     */
    void dropInvisible(Branch b, String reason) {
        if (b.isAlive()) {
            b.move(new BranchState.Settled(BranchStatus.ABANDONED, reason), "it was dropped before it ran");
        }
        List<String> expectedAt = st.candidates.barriersOf(b.id);
        st.candidates.removeBranch(b.id);
        expectedAt.forEach(m.gates::markDirty);
        st.branches.remove(b.id);
    }
}
