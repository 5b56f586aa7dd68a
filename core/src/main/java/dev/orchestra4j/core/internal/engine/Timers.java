package dev.orchestra4j.core.internal.engine;

import java.time.Duration;

/**
 * A session's clocks: the run deadline, each branch's {@code branchTimeout} (paused while it waits for its own fork),
 * each barrier's {@code convergenceTimeout} (from its first arrival), retries, questions and follow-ups — all in one
 * {@link Deadlines} queue, fired at the time of the event being handled. The shell's {@link Alarm} wakes the session
 * when the earliest of them comes due.
 */
final class Timers {

    private final Machine m;
    private final Deadlines deadlines = new Deadlines();
    /** The run deadline (epoch millis of the session clock), or {@code Long.MAX_VALUE}. */
    private long runDeadlineMillis = Long.MAX_VALUE;

    Timers(Machine machine) {
        this.m = machine;
    }

    /** Arms the run deadline: {@code limit} less the time earlier legs already ran. */
    void armRun(Duration limit, long elapsedNanosBefore) {
        runDeadlineMillis = Deadlines.plus(m.nowMillis(), limit.minusNanos(elapsedNanosBefore));
        deadlines.add(runDeadlineMillis, Deadlines.Kind.RUN, "run");
    }

    long runDeadlineMillis() {
        return runDeadlineMillis;
    }

    /** Starts {@code b}'s branch clock afresh. */
    void scheduleBranch(Branch b) {
        b.deadlineMillis = Deadlines.plus(m.nowMillis(), m.spec.execution().branchTimeout());
        deadlines.addBranch(b);
    }

    /** Restarts {@code b}'s branch clock with the time it had left (it waited for a fork meanwhile). */
    void resumeBranchClock(Branch b) {
        if (b.remainingMillis == Long.MAX_VALUE) {
            scheduleBranch(b);
            return;
        }
        long now = m.nowMillis();
        b.deadlineMillis = now > Long.MAX_VALUE - b.remainingMillis ? Long.MAX_VALUE : now + b.remainingMillis;
        b.remainingMillis = Long.MAX_VALUE;
        deadlines.addBranch(b);
    }

    void scheduleBarrier(Barrier x) {
        x.deadlineMillis = Deadlines.plus(m.nowMillis(), m.spec.execution().convergenceTimeout());
        deadlines.add(x.deadlineMillis, Deadlines.Kind.BARRIER, x.id);
    }

    void add(long atMillis, Deadlines.Kind kind, String id) {
        deadlines.add(atMillis, kind, id);
    }

    /** {@code b}'s branch clock no longer matters (it settled). */
    void stopBranchClock(Branch b) {
        deadlines.removeBranch(b);
    }

    /** {@code id}'s deadline of {@code kind} no longer matters (its branch settled, its question was answered). */
    void cancel(Deadlines.Kind kind, String id) {
        deadlines.remove(kind, id);
    }

    /** The earliest pending deadline (epoch millis), or {@code Long.MAX_VALUE}. */
    long next() {
        return deadlines.next();
    }

    /** Every pending deadline, in the order they come due. */
    java.util.List<Deadlines.Deadline> inOrder() {
        return deadlines.inOrder();
    }

    /** Puts the deadlines back as a snapshot's {@link MachinePart} says (the branches' clocks already restored). */
    void restore(java.util.List<Deadlines.Deadline> due, long runDeadline) {
        deadlines.restore(due, m.state.branches);
        runDeadlineMillis = runDeadline;
    }

    /** Hands every deadline due now to the lifecycle, earliest first. */
    void fireDue() {
        long now = m.nowMillis();
        Deadlines.Deadline due;
        while ((due = deadlines.pollDue(now)) != null) {
            Expiries.fire(m, m.lifecycle, due);
        }
    }

    /**
     * The leg ended: no branch keeps this leg's deadline queue (a suspended session holds its branches; the next leg
     * starts their clocks again).
     */
    void release() {
        m.state.branches.values().forEach(b -> b.clock = null);
    }
}
