package dev.orchestra4j.server.internal.http;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests in flight so a shutdown can refuse new ones (503) and wait for the running ones to finish.
 * Long-lived event streams are not counted: shutdown ends them itself.
 */
public final class Drain {

    private static final String ENTERED = "orchestra4j.drain.entered";

    private final AtomicBoolean closing = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;

    void enter(Context ctx) {
        if (closing.get()) {
            ctx.header("Connection", "close");
            throw ApiException.of(503, "the server is shutting down");
        }
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
        ctx.attribute(ENTERED, Boolean.TRUE);
    }

    /** Runs as an after-handler; also called by a stream when it turns long-lived. */
    public void leave(Context ctx) {
        if (ctx.attribute(ENTERED) == null) {
            return;
        }
        ctx.attribute(ENTERED, null);
        lock.lock();
        try {
            inFlight--;
            if (inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosing() {
        return closing.get();
    }

    /** Refuses new requests and waits up to {@code timeout} for the ones in flight; true when all finished. */
    public boolean close(Duration timeout) {
        closing.set(true);
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
