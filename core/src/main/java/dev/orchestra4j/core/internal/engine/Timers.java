package dev.orchestra4j.core.internal.engine;

import java.time.Duration;

/**
 * A session's clocks: the run deadline, each branch's {@code branchTimeout} (paused while it waits for its own fork),
 * each barrier's {@code convergenceTimeout} (from its first arrival), retries, questions and follow-ups — all in one
 * {@link Deadlines} queue read on the coordinator, plus the wake-up the scanner thread watches while the coordinator
 * blocks on its mailbox.
 */
final class Timers {

    private final Coordinator c;
    private final Deadlines deadlines = new Deadlines();
    private volatile long wakeAt = Long.MAX_VALUE;
    /** The run deadline (epoch millis of the session clock), or {@code Long.MAX_VALUE}. */
    private long runDeadlineMillis = Long.MAX_VALUE;

    Timers(Coordinator coordinator) {
        this.c = coordinator;
    }

    /** Arms the run deadline: {@code limit} less the time earlier legs already ran. */
    void armRun(Duration limit, long elapsedNanosBefore) {
        runDeadlineMillis = Deadlines.plus(c.nowMillis(), limit.minusNanos(elapsedNanosBefore));
        deadlines.add(runDeadlineMillis, Deadlines.Kind.RUN, "run");
    }

    long runDeadlineMillis() {
        return runDeadlineMillis;
    }

    /** Starts {@code b}'s branch clock afresh. */
    void scheduleBranch(Branch b) {
        b.deadlineMillis = Deadlines.plus(c.nowMillis(), c.spec.execution().branchTimeout());
        deadlines.add(b.deadlineMillis, Deadlines.Kind.BRANCH, b.id);
    }

    /** Restarts {@code b}'s branch clock with the time it had left (it waited for a fork meanwhile). */
    void resumeBranchClock(Branch b) {
        if (b.remainingMillis == Long.MAX_VALUE) {
            scheduleBranch(b);
            return;
        }
        long now = c.nowMillis();
        b.deadlineMillis = now > Long.MAX_VALUE - b.remainingMillis ? Long.MAX_VALUE : now + b.remainingMillis;
        b.remainingMillis = Long.MAX_VALUE;
        deadlines.add(b.deadlineMillis, Deadlines.Kind.BRANCH, b.id);
    }

    void scheduleBarrier(Barrier x) {
        x.deadlineMillis = Deadlines.plus(c.nowMillis(), c.spec.execution().convergenceTimeout());
        deadlines.add(x.deadlineMillis, Deadlines.Kind.BARRIER, x.id);
    }

    void add(long atMillis, Deadlines.Kind kind, String id) {
        deadlines.add(atMillis, kind, id);
    }

    /** {@code id}'s deadline of {@code kind} no longer matters (its branch settled, its question was answered). */
    void cancel(Deadlines.Kind kind, String id) {
        deadlines.remove(kind, id);
    }

    /** The earliest pending deadline (epoch millis), or {@code Long.MAX_VALUE}. */
    long next() {
        return deadlines.next();
    }

    /** Hands every deadline due now to the lifecycle, earliest first. */
    void fireDue() {
        long now = c.nowMillis();
        Deadlines.Deadline due;
        while ((due = deadlines.pollDue(now)) != null) {
            Expiries.fire(c, c.lifecycle(), due);
        }
    }

    /** The coordinator is about to block: the scanner wakes it when the earliest deadline comes due. */
    void publishWake() {
        wakeAt = deadlines.next();
    }

    /** Called by the scanner thread: whether a published wake-up is due at {@code nowMillis} (it is then consumed). */
    boolean wakeDue(long nowMillis) {
        long at = wakeAt;
        if (at != Long.MAX_VALUE && nowMillis >= at) {
            wakeAt = Long.MAX_VALUE;
            return true;
        }
        return false;
    }
}
