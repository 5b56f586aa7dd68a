package dev.orchestra4j.core.internal.event;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's queue and the virtual thread that drains it, for one leg of a session. A leg's dispatcher begins
 * delivering only once the previous leg's dispatcher of the same listener has delivered its last event: a listener
 * sees a session's events one at a time and in order across legs, also when a leg starts while the last one's events
 * are still being delivered (a listener answering its session's question from {@code onEvent}, a slow listener).
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final OrchestraEvent.RunResumed POISON =
            new OrchestraEvent.RunResumed("", java.time.Instant.EPOCH, null);

    /** The dispatcher whose thread this is, on a dispatcher's thread; see {@link #releaseCurrent()}. */
    private static final ThreadLocal<Dispatcher> CURRENT = new ThreadLocal<>();

    private final OrchestraListener listener;
    private final BlockingQueue<OrchestraEvent> queue;
    /** The previous leg's dispatcher of this listener, until it has finished; then null (no chain is kept). */
    private volatile @Nullable Dispatcher predecessor;
    /** The next leg's dispatcher of this listener, once there is one (it waits behind this one). */
    private volatile @Nullable Dispatcher successor;
    /** Counted down when delivery has ended. */
    private final CountDownLatch done = new CountDownLatch(1);
    /** Counted down when delivery ends, or earlier when the listener calls back into the session ({@link #release}). */
    private final CountDownLatch awaitable = new CountDownLatch(1);
    /** The listener called back into the instance from {@code onEvent}: no leg waits for it to catch up. */
    private volatile boolean released;

    private final AtomicLong dropped = new AtomicLong();

    Dispatcher(OrchestraListener listener, int capacity, @Nullable Dispatcher predecessor) {
        this.listener = listener;
        // linked, not an array: a session with a listener must not allocate its whole bound (64 KB and more) up front
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.predecessor = predecessor;
        if (predecessor != null) {
            predecessor.successor = this; // before this one's first look at whether it is released (see release)
        }
        Thread.ofVirtual().name("orchestra4j-listener").start(this::drain);
    }

    OrchestraListener listener() {
        return listener;
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
        if (current == null) {
            return;
        }
        current.released = true; // before reading successor: a successor made meanwhile then sees it (see await)
        // it and the later legs' dispatchers queued behind it, whose legs may be closing now: none is awaited
        for (Dispatcher d = current; d != null; d = d.successor) {
            d.awaitable.countDown();
        }
    }

    /**
     * Waits (bounded) until the listener has had this leg's last event; at once when it was released, or when a
     * previous leg's dispatcher it waits behind was released and is still inside the listener (the listener is calling
     * into the session: this leg's events follow once that call returns), also when that happens while it waits.
     */
    void await(Duration timeout) {
        if (behindACallback()) {
            return;
        }
        try {
            if (!awaitable.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("listener {} did not finish within {}", listener, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a dispatcher this one waits behind is inside its listener's call back into the session. */
    private boolean behindACallback() {
        for (Dispatcher before = predecessor; before != null; before = before.predecessor) {
            if (before.released && before.done.getCount() > 0) {
                return true;
            }
        }
        return false;
    }

    private void drain() {
        CURRENT.set(this);
        try {
            Dispatcher before = predecessor;
            if (before != null) {
                before.done.await(); // the previous leg's events first, one at a time
                predecessor = null;
            }
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
            done.countDown();
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
