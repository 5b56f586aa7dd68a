package dev.orchestra4j.server.internal.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One client's position in a stream: the events it missed ({@link #replay()}) and a cursor into the stream's shared
 * ring of live events. Nothing is copied per client: the publisher appends once and wakes the clients that wait; each
 * client's own thread takes what is new. A client more than the hub's client buffer behind the stream is cut off with
 * a reason instead of slowing the publisher.
 */
public final class Subscription {

    private final StreamLog log;
    private final List<ServerEvent> replay;
    private final AtomicReference<@Nullable String> endReason = new AtomicReference<>();
    /** Set while the subscription sits in its stream's wait queue (so it is queued at most once). */
    final AtomicBoolean queued = new AtomicBoolean();

    private volatile long cursor;
    private volatile @Nullable Thread waiter;

    Subscription(StreamLog log, List<ServerEvent> replay, long cursor) {
        this.log = log;
        this.replay = List.copyOf(replay);
        this.cursor = cursor;
    }

    public String stream() {
        return log.name();
    }

    StreamLog log() {
        return log;
    }

    /** The events after the client's {@code Last-Event-ID} that were published before it subscribed. */
    public List<ServerEvent> replay() {
        return replay;
    }

    /** The id of the last event this client has taken. */
    long cursor() {
        return cursor;
    }

    /**
     * Waits up to {@code wait} for a live event (or the end of the subscription).
     *
     * @return true when {@link #drain} has something to report, false after {@code wait} without anything
     */
    public boolean await(Duration wait) throws InterruptedException {
        if (ready()) {
            return true;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        waiter = Thread.currentThread();
        try {
            while (true) {
                // (re)join the stream's wait queue on every turn: a publisher that took this subscription off the
                // queue may clear its flag only after this thread looked at it, and its wake-up may come for an event
                // already drained; without a fresh entry the next event would wake nobody (seen: live events held
                // back until the heartbeat timeout)
                if (queued.compareAndSet(false, true)) {
                    log.waitFor(this);
                }
                if (ready()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            waiter = null;
        }
    }

    /**
     * Adds the live events not taken yet to {@code into}, oldest first.
     *
     * @return false when the subscription has ended ({@link #endReason()} says why); events published before a
     *     shutdown are still added, a client cut off as too slow gets none
     */
    public boolean drain(List<ServerEvent> into) {
        cursor = log.readAfter(this, cursor, into);
        return endReason.get() == null;
    }

    /** True once the subscription has ended (a slow client, a shutdown, a deleted stream). */
    public boolean ended() {
        return endReason.get() != null;
    }

    /** Why the subscription ended, or null while it goes on. */
    public @Nullable String endReason() {
        return endReason.get();
    }

    private boolean ready() {
        return endReason.get() != null || log.head() > cursor;
    }

    /** Ends the subscription; false if it had already ended. */
    boolean end(String reason) {
        if (!endReason.compareAndSet(null, reason)) {
            return false;
        }
        wake();
        return true;
    }

    void wake() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
