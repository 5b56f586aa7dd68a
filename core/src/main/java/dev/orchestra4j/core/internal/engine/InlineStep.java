package dev.orchestra4j.core.internal.engine;

import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The one step a coordinator may run on its own (driving) thread, and the hand-off of the driving role when that step
 * overruns (SPEC §4.1): a watchdog, a cancellation or a due deadline turns the step into a detached one and starts a
 * fresh driver, so an agent that ignores interrupts can never stall timeouts, cancellation or other branches. The
 * stuck thread, when its agent returns at last, finds it no longer drives: it posts its outcome like any detached step
 * (which the new driver drops as stale when the step was given up) and leaves.
 */
final class InlineStep {

    /** The thread running an inline step right now, else null; the CAS on it decides return versus hand-off. */
    private final AtomicReference<@Nullable Thread> running = new AtomicReference<>();

    private volatile StepSlot slot = new StepSlot(true);

    /** The monotonic reading at which the last step this driver ran inline ended (driving thread only). */
    private long endedAt = EventTime.UNKNOWN;

    StepSlot slot() {
        return slot;
    }

    /** When the step {@link #run} last returned ended: its start reading plus its measured duration. */
    long endedAt() {
        return endedAt;
    }

    /**
     * Runs {@code call} on this thread. Returns its outcome, or null when the driving role was handed off meanwhile;
     * the outcome has then been posted to {@code c}'s mailbox and this thread must stop driving.
     */
    @Nullable
    StepOutcome run(Coordinator c, StepRunner.StepCall call, long wakeMillis) {
        StepSlot s = slot;
        // A release store, no fence: whoever hands the step off first sees its slot RUNNING (a volatile write after
        // this one), and a poster that misses it is no worse off than one that posted just before the step began.
        running.lazySet(Thread.currentThread());
        long t0 = c.stepStartNanos();
        long at = c.time.epochNanosAt(t0); // an instant only when the session's clock is not the system's
        StepOutcome outcome =
                c.runner.execute(call, s, wakeMillis, t0, at == EventTime.UNKNOWN ? c.time.instantAt(t0) : null, at);
        if (running.compareAndSet(Thread.currentThread(), null)) {
            endedAt = t0 + outcome.nanos();
            return CallerDrive.checkInterrupt(c, outcome);
        }
        c.post(new Signal.StepDone(outcome));
        c.steps.forget(s);
        return null;
    }

    /**
     * From any thread: when a step runs inline, detaches it and hands the driving role to {@code takeOver} (which
     * starts a fresh driver). Returns whether it did.
     */
    boolean handOff(Coordinator c) {
        Thread t = running.get();
        if (t == null || !running.compareAndSet(t, null)) {
            return false;
        }
        StepSlot old = slot;
        old.detach();
        StepSlot fresh = new StepSlot(true);
        slot = fresh;
        c.takeOver(fresh);
        return true;
    }
}
