package dev.orchestra4j.core.internal.engine;

import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread for the whole JVM that enforces every session's deadlines. Each session has one {@link Alarm}:
 * the earliest instant at which something of it may come due (a step's timeout, the deadline its idle coordinator
 * waits for, its heartbeat). The thread sleeps until the earliest alarm of all sessions, asks that session to
 * {@link Scanned#scan() scan} — which arms its next alarm — and sleeps again; arming an alarm earlier than the
 * thread's next wake-up wakes it. Nothing is polled: a session costs nothing while none of its deadlines is near,
 * and arming an instant later than the one already armed is one volatile read (the earlier scan re-arms), so a step
 * normally arms nothing.
 */
final class DeadlineScanner {

    /** Something with deadlines, scanned on the scanner thread when its alarm rings; must be quick and never block. */
    interface Scanned {
        void scan();
    }

    /** The longest an alarm sleeps before its session is scanned anyway (so that no delay overflows). */
    private static final long MAX_DELAY_MILLIS = TimeUnit.HOURS.toMillis(1);

    private record Entry(long dueNanos, long seq, Alarm alarm) {}

    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::dueNanos).thenComparingLong(Entry::seq);

    /** The JVM's scanner; declared after {@link #ORDER}, which its constructor needs. */
    static final DeadlineScanner INSTANCE = new DeadlineScanner();

    /** Armed entries, earliest first (a map for {@code firstEntry()}, which is null rather than a throw when empty). */
    private final ConcurrentSkipListMap<Entry, Boolean> entries = new ConcurrentSkipListMap<>(ORDER);

    private final AtomicLong seq = new AtomicLong();
    private final long origin = System.nanoTime();
    private volatile @Nullable Thread thread;

    /** A session's alarm on this scanner, armed on its clock; {@link Alarm#close()} when the session's leg ends. */
    Alarm register(Scanned session, Clock clock) {
        if (thread == null) {
            start();
        }
        return new Alarm(this, session, clock);
    }

    /** How many alarms are armed (for tests). */
    int armed() {
        return entries.size();
    }

    private synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(this::loop, "orchestra4j-deadlines");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private long nanosNow() {
        return System.nanoTime() - origin;
    }

    /**
     * What the thread sleeps towards (scanner nanos; {@code Long.MAX_VALUE}: no entry), or {@code Long.MIN_VALUE} while
     * it is awake and will look at the entries anyway. An entry due earlier wakes it; a later one does not, even when
     * it is the first (the usual case for a lone session: its previous leg's entry was removed, the thread still sleeps
     * towards it, and waking it once per run cost a thread switch per run).
     */
    private volatile long sleepingUntil = Long.MIN_VALUE;

    /** How often an arm woke the thread (for tests). */
    final java.util.concurrent.atomic.AtomicInteger wakeUps = new java.util.concurrent.atomic.AtomicInteger();

    private void add(Entry e) {
        entries.put(e, Boolean.TRUE); // before reading sleepingUntil, which the thread writes before looking again
        Thread t = thread;
        if (t != null && e.dueNanos() < sleepingUntil) {
            wakeUps.incrementAndGet();
            LockSupport.unpark(t); // a nearer deadline than the one the thread sleeps towards
        }
    }

    /** See {@link #sleepingUntil} (for tests). */
    long sleepsTowards() {
        return sleepingUntil;
    }

    /** Whether the thread is parked right now (for tests: it set what it sleeps towards and went to sleep). */
    boolean isParked() {
        Thread t = thread;
        return t != null && LockSupport.getBlocker(t) == this;
    }

    private void loop() {
        while (true) {
            try {
                ringNext();
            } catch (RuntimeException | Error e) {
                // one session's failure must never stop the thread that enforces every session's deadlines
                LoggerFactory.getLogger(DeadlineScanner.class).warn("deadline scan failed", e);
            }
        }
    }

    /** Sleeps until the earliest alarm is due (or a nearer one is armed), then scans its session. */
    private void ringNext() {
        var first = entries.firstEntry();
        long due = first == null ? Long.MAX_VALUE : first.getKey().dueNanos();
        long wait = due == Long.MAX_VALUE ? Long.MAX_VALUE : due - nanosNow();
        if (wait > 0) {
            sleepingUntil = due; // an entry added from now on that is due earlier unparks the thread; one added
            var again = entries.firstEntry(); // before is seen here (both sides write, then read: one sees the other)
            if (again == null ? first == null : first != null && again.getKey() == first.getKey()) {
                // nothing of a session stays reachable from this thread while it sleeps: the entry it sleeps towards
                // may belong to a leg that ended long ago (an interpreted frame keeps every local alive)
                first = null;
                again = null;
                if (due == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, wait);
                }
            }
            sleepingUntil = Long.MIN_VALUE;
            return;
        }
        Entry head = first.getKey();
        if (entries.remove(head) != null && head.alarm().take(head)) {
            head.alarm().session.scan();
        }
    }

    /**
     * One session's next wake-up on the scanner. {@link #arm} asks for a scan at an instant of the session clock;
     * only the earliest instant asked for since the last scan is kept.
     */
    static final class Alarm {

        /** An alarm that never rings (a simulation test scans the session itself). */
        static final Alarm NONE = new Alarm(null, () -> {}, Clock.systemUTC());

        private final @Nullable DeadlineScanner scanner;
        private final Scanned session;
        private final Clock clock;
        private final ReentrantLock lock = new ReentrantLock();
        /** The session-clock instant armed, {@code Long.MAX_VALUE} when none; {@code Long.MIN_VALUE} once closed. */
        private volatile long armedMillis;

        private @Nullable Entry entry;

        private Alarm(@Nullable DeadlineScanner scanner, Scanned session, Clock clock) {
            this.scanner = scanner;
            this.session = session;
            this.clock = clock;
            this.armedMillis = scanner == null ? Long.MIN_VALUE : Long.MAX_VALUE;
        }

        /** Asks for a scan at {@code atMillis} (session clock), unless an earlier one is armed already. */
        void arm(long atMillis) {
            if (atMillis >= armedMillis) {
                return; // nearly always: an earlier scan is armed and will re-arm
            }
            DeadlineScanner s = java.util.Objects.requireNonNull(scanner);
            lock.lock();
            try {
                if (atMillis >= armedMillis) {
                    return;
                }
                long delay = Math.max(0, Math.min(MAX_DELAY_MILLIS, atMillis - clock.millis()));
                Entry fresh =
                        new Entry(s.nanosNow() + TimeUnit.MILLISECONDS.toNanos(delay), s.seq.incrementAndGet(), this);
                Entry old = entry;
                if (old != null) {
                    s.entries.remove(old);
                }
                entry = fresh;
                armedMillis = atMillis;
                s.add(fresh);
            } finally {
                lock.unlock();
            }
        }

        /** The scanner took {@code e} off its queue: whether it is still this alarm's (then it is disarmed). */
        private boolean take(Entry e) {
            lock.lock();
            try {
                if (entry != e) {
                    return false;
                }
                entry = null;
                armedMillis = Long.MAX_VALUE;
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** The leg ended: the alarm never rings again, and the scanner keeps nothing of the session. */
        void close() {
            if (scanner == null) {
                return;
            }
            lock.lock();
            try {
                armedMillis = Long.MIN_VALUE;
                Entry old = entry;
                entry = null;
                if (old != null) {
                    scanner.entries.remove(old);
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
