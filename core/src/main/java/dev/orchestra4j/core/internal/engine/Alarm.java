package dev.orchestra4j.core.internal.engine;

import java.time.Clock;

/**
 * A session's alarm on the JVM-wide {@link DeadlineScanner}: armed for the earliest deadline of the machine's
 * {@link Timers} when the loop blocks on its mailbox and for each step's timeout, so that the scanner looks at the
 * session only when something of it may be due. On the scanner's thread it interrupts overdue steps, keeps the lease and
 * wakes the loop.
 */
final class Alarm {

    /** How often a session on a clock other than the system clock is scanned (its clock may jump). */
    private static final long TICK_MILLIS = 10;

    private final Coordinator c;
    private volatile long wakeAt = Long.MAX_VALUE;
    private volatile DeadlineScanner.Alarm alarm = DeadlineScanner.Alarm.NONE;
    /** How often a session with a StateManager is scanned for its heartbeat at least, or {@code Long.MAX_VALUE}. */
    private final long heartbeatScanMillis;

    private final boolean systemClock;

    Alarm(Coordinator coordinator) {
        this.c = coordinator;
        this.heartbeatScanMillis = coordinator
                .spec
                .stateManager()
                .map(m -> Math.max(1, m.heartbeatInterval().toMillis() / 4))
                .orElse(Long.MAX_VALUE);
        Clock clock = coordinator.spec.clock();
        this.systemClock = clock.equals(Clock.system(clock.getZone()));
    }

    /** The loop is about to block: the scanner wakes it when the earliest deadline comes due. */
    void publishWake() {
        long at = c.machine.timers.next();
        wakeAt = at;
        alarm.arm(at);
    }

    /** The leg starts: its alarm on the JVM-wide scanner (none in a simulation test, which scans by itself). */
    void open() {
        alarm = DeadlineScanner.INSTANCE.register(c, c.spec.clock());
        alarm.arm(nextScan(c.time.millis(), Long.MAX_VALUE));
    }

    /** The leg ended: the scanner keeps nothing of it. */
    void close() {
        alarm.close();
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
