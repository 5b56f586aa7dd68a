package dev.orchestra4j.core.internal.engine;

import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A pause asked for while a leg is starting — watching another owner's lease for seconds ({@code recoverSession}),
 * claiming — before it has a coordinator to post to: the leg takes it as its first signal and pauses before its first
 * step. A leg that fails to start drops it.
 */
final class PendingPause {

    private volatile boolean starting;
    private final AtomicReference<@Nullable String> reason = new AtomicReference<>();

    /** The lease is held to start a leg. */
    void starting() {
        starting = true;
    }

    /** No leg is starting any more (it started, or failed to). */
    void clear() {
        starting = false;
        reason.set(null);
    }

    /** Keeps the pause for the starting leg; false when none is starting. {@code current} is the leg if it started. */
    boolean offer(String why, @Nullable Coordinator current) {
        if (!starting) {
            return false;
        }
        reason.set(why);
        if (current != null) { // it started meanwhile and may not have seen the request (a second pause is harmless)
            current.post(new Signal.Pause(why));
        }
        return true;
    }

    /** The starting leg is {@code c} (already published as current): it takes a pause asked for meanwhile. */
    void started(Coordinator c) {
        starting = false;
        String why = reason.getAndSet(null);
        if (why != null) {
            c.post(new Signal.Pause(why));
        }
    }
}
