package dev.orchestra4j.core.internal.event;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import java.time.Duration;
import java.util.List;

/**
 * Delivers a session's events to its listeners. Each listener has its own bounded queue drained by its own virtual
 * thread, so a slow listener only delays itself and a throwing one is logged. With no listener, publishing is free.
 */
public final class EventBus {

    private static final EventBus NONE = new EventBus(List.of(), List.of());

    private final List<Dispatcher> dispatchers;
    private final List<Dispatcher> awaited;

    private EventBus(List<Dispatcher> dispatchers, List<Dispatcher> awaited) {
        this.dispatchers = dispatchers;
        this.awaited = awaited;
    }

    /**
     * A bus for {@code listeners} (never awaited at close) and {@code awaitedListeners} (drained before close returns,
     * for console output that must appear before the run returns).
     */
    public static EventBus of(List<OrchestraListener> listeners, List<OrchestraListener> awaitedListeners) {
        return of(listeners, awaitedListeners, NONE);
    }

    /**
     * A bus for the next leg of the session whose last leg published on {@code previous}: each listener of both gets
     * this leg's events only after it has had the last leg's, one at a time, in order.
     */
    public static EventBus of(
            List<OrchestraListener> listeners, List<OrchestraListener> awaitedListeners, EventBus previous) {
        if (listeners.isEmpty() && awaitedListeners.isEmpty()) {
            return NONE;
        }
        List<Dispatcher> awaited = awaitedListeners.stream()
                .map(l -> new Dispatcher(l, 65_536, previous.dispatcherOf(l)))
                .toList();
        List<Dispatcher> all = new java.util.ArrayList<>(awaited);
        listeners.forEach(l -> all.add(new Dispatcher(l, 16_384, previous.dispatcherOf(l))));
        return new EventBus(List.copyOf(all), awaited);
    }

    private @org.jspecify.annotations.Nullable Dispatcher dispatcherOf(OrchestraListener listener) {
        for (Dispatcher d : dispatchers) {
            if (d.listener() == listener) {
                return d;
            }
        }
        return null;
    }

    /** Whether anybody listens; callers skip building events when not. */
    public boolean isActive() {
        return !dispatchers.isEmpty();
    }

    public void publish(OrchestraEvent event) {
        for (Dispatcher d : dispatchers) {
            d.offer(event);
        }
    }

    /**
     * Called before a thread blocks on a session: when it is a listener's, inside {@code onEvent} (a listener calling
     * back into the instance), no session waits for that listener to catch up any more, since the one it calls into
     * may be waiting for it.
     */
    public static void releaseCurrentListener() {
        Dispatcher.releaseCurrent();
    }

    /**
     * Stops accepting events; waits (bounded) for awaited listeners to catch up, except those released because they
     * called back into the instance ({@link #releaseCurrentListener()}).
     */
    public void close() {
        for (Dispatcher d : dispatchers) {
            d.close();
        }
        for (Dispatcher d : awaited) {
            d.await(Duration.ofSeconds(5));
        }
    }
}
