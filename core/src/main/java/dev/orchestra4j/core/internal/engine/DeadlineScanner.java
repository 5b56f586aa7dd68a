package dev.orchestra4j.core.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread for the whole JVM that enforces every session's deadlines: it asks each registered session to
 * compare its own clock with its deadlines every few milliseconds. Nothing is scheduled per step; a step only writes
 * its deadline into its {@link StepSlot}. Timeouts are therefore precise to about one tick (10 ms).
 */
final class DeadlineScanner {

    /** Something with deadlines, checked on every tick from the scanner thread; must be quick and never block. */
    interface Scanned {
        void scan();
    }

    static final DeadlineScanner INSTANCE = new DeadlineScanner(TimeUnit.MILLISECONDS.toNanos(10));

    private final Set<Scanned> sessions = ConcurrentHashMap.newKeySet();
    private final long tickNanos;
    private volatile boolean started;

    DeadlineScanner(long tickNanos) {
        this.tickNanos = tickNanos;
    }

    void register(Scanned session) {
        sessions.add(session);
        if (!started) {
            start();
        }
    }

    void unregister(Scanned session) {
        sessions.remove(session);
    }

    private synchronized void start() {
        if (started) {
            return;
        }
        Thread thread = new Thread(this::loop, "orchestra4j-deadlines");
        thread.setDaemon(true);
        thread.start();
        started = true;
    }

    private void loop() {
        while (true) {
            LockSupport.parkNanos(tickNanos);
            for (Scanned session : sessions) {
                try {
                    session.scan();
                } catch (RuntimeException | Error e) {
                    // one session's failure must never stop the thread that enforces every session's deadlines
                    org.slf4j.LoggerFactory.getLogger(DeadlineScanner.class).warn("deadline scan failed", e);
                }
            }
        }
    }
}
