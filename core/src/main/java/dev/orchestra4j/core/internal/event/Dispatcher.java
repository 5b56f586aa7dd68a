package dev.orchestra4j.core.internal.event;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One listener's queue and the virtual thread that drains it. */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final OrchestraEvent.RunResumed POISON =
            new OrchestraEvent.RunResumed("", java.time.Instant.EPOCH, null);

    private final OrchestraListener listener;
    private final BlockingQueue<OrchestraEvent> queue;
    /** The listener this thread delivers to, on a dispatcher's thread; see {@link #releaseCurrent()}. */
    private static final ThreadLocal<Dispatcher> CURRENT = new ThreadLocal<>();

    /** Counted down when delivery ends, or earlier when the listener calls back into the session ({@link #release}). */
    private final CountDownLatch awaitable = new CountDownLatch(1);

    private final AtomicLong dropped = new AtomicLong();

    Dispatcher(OrchestraListener listener, int capacity) {
        this.listener = listener;
        // linked, not an array: a session with a listener must not allocate its whole bound (64 KB and more) up front
        this.queue = new LinkedBlockingQueue<>(capacity);
        Thread.ofVirtual().name("orchestra4j-listener").start(this::drain);
    }

    void offer(OrchestraEvent event) {
        if (!queue.offer(event) && dropped.getAndIncrement() == 0) {
            LOG.warn("listener {} is too slow: its queue is full, events are being dropped", listener);
        }
    }

    /**
     * Ends delivery after the events already queued, never blocking the caller: when a stuck listener has filled its
     * queue, the oldest undelivered events make room for the end marker (they were about to be dropped anyway).
     */
    void close() {
        while (!queue.offer(POISON)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    /**
     * Called on any thread before it blocks on a session (a respond, a resume, waiting for a run): when it is a
     * listener's thread, inside {@code onEvent}, a session closing its events no longer waits for that listener. The
     * session it calls into may be the one whose close would wait for it, which then waited for itself until the
     * bound.
     */
    static void releaseCurrent() {
        Dispatcher current = CURRENT.get();
        if (current != null) {
            current.awaitable.countDown();
        }
    }

    void await(Duration timeout) {
        try {
            if (!awaitable.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("listener {} did not finish within {}", listener, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        CURRENT.set(this);
        try {
            while (true) {
                OrchestraEvent event = queue.take();
                if (event == POISON) {
                    break;
                }
                deliver(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            awaitable.countDown();
            if (dropped.get() > 0) {
                LOG.warn("listener {} missed {} events because it was too slow", listener, dropped.get());
            }
        }
    }

    private void deliver(OrchestraEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException | Error e) {
            LOG.warn("listener {} failed on {}", listener, event.getClass().getSimpleName(), e);
        }
    }
}
