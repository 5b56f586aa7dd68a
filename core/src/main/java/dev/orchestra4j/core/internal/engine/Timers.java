package dev.orchestra4j.core.internal.engine;

import java.time.Clock;
import java.time.Duration;

/**
 * A session's clocks: the run deadline, each branch's {@code branchTimeout} (paused while it waits for its own fork),
 * each barrier's {@code convergenceTimeout} (from its first arrival), retries, questions and follow-ups — all in one
 * {@link Deadlines} queue read on the coordinator, plus the session's alarm on the JVM-wide {@link DeadlineScanner}:
 * armed for the earliest deadline when the coordinator blocks on its mailbox and for each step's timeout, so that the
 * scanner looks at the session only when something of it may be due.
 */
final class Timers {

    /** How often a session on a clock other than the system clock is scanned (its clock may jump). */
    private static final long TICK_MILLIS = 10;

    private final Coordinator c;
    private final Deadlines deadlines = new Deadlines();
    private volatile long wakeAt = Long.MAX_VALUE;
    private volatile DeadlineScanner.Alarm alarm = DeadlineScanner.Alarm.NONE;
    /** How often a session with a StateManager is scanned for its heartbeat at least, or {@code Long.MAX_VALUE}. */
    private final long heartbeatScanMillis;

    private final boolean systemClock;
    /** The run deadline (epoch millis of the session clock), or {@code Long.MAX_VALUE}. */
    private long runDeadlineMillis = Long.MAX_VALUE;

    Timers(Coordinator coordinator) {
        this.c = coordinator;
        this.heartbeatScanMillis = coordinator
                .spec
                .stateManager()
                .map(m -> Math.max(1, m.heartbeatInterval().toMillis() / 4))
                .orElse(Long.MAX_VALUE);
        Clock clock = coordinator.spec.clock();
        this.systemClock = clock.equals(Clock.system(clock.getZone()));
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
        deadlines.addBranch(b);
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
        deadlines.addBranch(b);
    }

    void scheduleBarrier(Barrier x) {
        x.deadlineMillis = Deadlines.plus(c.nowMillis(), c.spec.execution().convergenceTimeout());
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
        long at = deadlines.next();
        wakeAt = at;
        alarm.arm(at);
    }

    /** The leg starts: its alarm on the JVM-wide scanner (none in a simulation test, which scans by itself). */
    void openAlarm() {
        alarm = DeadlineScanner.INSTANCE.register(c, c.spec.clock());
        alarm.arm(nextScan(c.nowMillis(), Long.MAX_VALUE));
    }

    /**
     * The leg ended: the scanner keeps nothing of it, and no branch keeps this leg's deadline queue (a suspended
     * session holds its branches; the next leg starts their clocks again).
     */
    void closeAlarm() {
        alarm.close();
        c.state.branches.values().forEach(b -> b.clock = null);
    }

    /** Something of the session comes due at {@code atMillis} (a step's timeout): the scanner looks then at the latest. */
    void arm(long atMillis) {
        alarm.arm(atMillis);
    }

    /**
     * Called by the scanner thread: interrupts overdue steps, keeps the lease, wakes the loop when a deadline is due,
     * and arms the next scan.
     */
    void scan(InlineStep inline) {
        long now = c.time.clockMillis(); // the scanner's thread: the clock, not the event being handled
        long next = c.steps.scan(now, inline);
        c.persistence.heartbeat(c);
        long at = wakeAt;
        if (at != Long.MAX_VALUE && now >= at) {
            wakeAt = Long.MAX_VALUE; // consumed: the loop publishes its next one before it blocks again
            c.post(new Signal.Wake());
        } else {
            next = Math.min(next, at);
        }
        alarm.arm(nextScan(now, next));
    }

    /**
     * {@code next}, or sooner: a session with a StateManager is looked at every quarter heartbeat (its lease), and one
     * on a clock other than the system clock every tick, since that clock may jump (tests move it by hand).
     */
    private long nextScan(long now, long next) {
        long soon =
                Math.min(next, now > Long.MAX_VALUE - heartbeatScanMillis ? Long.MAX_VALUE : now + heartbeatScanMillis);
        return systemClock ? soon : Math.min(soon, now + TICK_MILLIS);
    }
}
