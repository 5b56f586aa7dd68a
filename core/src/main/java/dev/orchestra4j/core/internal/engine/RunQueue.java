package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Branches on their way to a step: creating them (held back by {@link Admission} when there is no room), making them
 * visible, and queueing READY ones for dispatch; also the count of visible branches still alive, which the run's
 * ROOT waits to reach zero.
 */
final class RunQueue {

    private final Machine m;
    private final SessionState st;
    private final ArrayDeque<Branch> runnable = new ArrayDeque<>(4); // grows for forks; a run needs a few
    private int alive;

    RunQueue(Machine machine) {
        this.m = machine;
        this.st = machine.state;
    }

    /** Visible branches not settled yet. */
    int alive() {
        return alive;
    }

    /** A visible branch settled. */
    void settled() {
        alive--;
    }

    /** A visible branch saved alive is counted again when its session resumes. */
    void resumed() {
        alive++;
    }

    int size() {
        return runnable.size();
    }

    boolean isEmpty() {
        return runnable.isEmpty();
    }

    /** The next branch queued for dispatch, or null. */
    @Nullable
    Branch poll() {
        return runnable.poll();
    }

    /** Each queued branch, in queue order (stale entries included: they are skipped when polled). */
    void forEachQueued(java.util.function.Consumer<Branch> each) {
        runnable.forEach(each);
    }

    /** Puts the queue and the count back as a snapshot's {@link MachinePart} says. */
    void restore(java.util.List<Branch> queued, int aliveCount) {
        runnable.clear();
        runnable.addAll(queued);
        alive = aliveCount;
    }

    /** Creates a branch; it runs at once unless {@link Admission} holds it back. */
    Branch spawn(@Nullable String parentId, BarrierKind origin, String target, String node, Object input, String from) {
        boolean held = m.admission.mustWait(origin, target);
        Branch b = new Branch(
                st.newBranchId(),
                parentId,
                origin,
                target,
                node,
                input,
                from,
                m.now(),
                held ? BranchState.QUEUED : BranchState.READY);
        st.branches.put(b.id, b);
        if (held) {
            b.materialized = false;
            m.admission.hold(b);
            return b;
        }
        materialize(b, parentId);
        runnable.add(b);
        return b;
    }

    /** Makes a created branch visible: counted, timed, announced. */
    void materialize(Branch b, @Nullable String causalParent) {
        b.materialized = true;
        alive++;
        m.timers.scheduleBranch(b);
        m.telemetry.emit(() -> new OrchestraEvent.BranchSpawned(
                m.spec.sessionId(), m.now(), b.id, b.parentId != null ? b.parentId : causalParent, b.node, b.origin));
    }

    /** {@code b} may run its next step: it is READY and queued for dispatch. */
    void makeRunnable(Branch b, String event) {
        if (!b.isRunnable()) {
            b.move(BranchState.READY, event);
        }
        runnable.add(b);
    }

    /** {@code b} retries at {@code notBeforeMillis}: RETRY_AT until that deadline comes, READY at once when due. */
    void retryAt(Branch b, long notBeforeMillis, String event) {
        if (notBeforeMillis <= m.nowMillis()) {
            makeRunnable(b, event);
            return;
        }
        if (!(b.state() instanceof BranchState.RetryAt)) {
            b.move(new BranchState.RetryAt(notBeforeMillis), event);
        }
        m.timers.add(notBeforeMillis, Deadlines.Kind.RETRY, b.id);
    }
}
