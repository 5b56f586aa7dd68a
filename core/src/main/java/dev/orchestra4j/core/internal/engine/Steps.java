package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.event.OrchestraEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent calls a session has running: how many count as in flight, the {@link StepSlot} of each (so a timeout or
 * a cancellation can interrupt it), and the steps given up while their threads still run (zombies). A step given up
 * no longer counts as in flight — pause, suspension and {@code maxConcurrentSteps} do not wait for it (D10) — and its
 * late outcome is dropped; every such step is announced as {@link OrchestraEvent.StepAbandoned}.
 */
final class Steps {

    private final Coordinator c;
    private final Set<StepSlot> slots = ConcurrentHashMap.newKeySet();
    private int inFlight;
    private int zombies;

    Steps(Coordinator coordinator) {
        this.c = coordinator;
    }

    int inFlight() {
        return inFlight;
    }

    /** Steps given up while their threads may still be running (agents ignoring interrupts), for diagnostics. */
    int zombies() {
        return zombies;
    }

    void add(StepSlot slot) {
        slots.add(slot);
    }

    /** An inline step handed off while it ran has returned on its stuck thread. */
    void forget(StepSlot slot) {
        slots.remove(slot);
        slot.returned();
    }

    /** A step that ran detached reported its outcome (and it was the branch's current step). */
    void finished() {
        inFlight--;
    }

    /** An overrunning inline step now counts as a detached one. */
    void detached() {
        inFlight++;
    }

    /** Starts {@code call} on the step executor; its slot is registered first, so no cancellation misses it (D13). */
    void startDetached(StepRunner.StepCall call) {
        inFlight++;
        StepSlot slot = new StepSlot(call.branchId(), call.token());
        slots.add(slot);
        c.spec.stepExecutor().execute(() -> runDetached(call, slot));
    }

    private void runDetached(StepRunner.StepCall call, StepSlot slot) {
        try {
            c.post(new Signal.StepDone(c.runner.execute(call, slot, Long.MAX_VALUE)));
        } catch (Throwable e) {
            // Even if building the outcome fails (out of memory, say), the coordinator hears of the step's end.
            c.post(new Signal.StepDone(StepOutcome.failed(call, e)));
        } finally {
            slots.remove(slot);
            slot.returned();
        }
    }

    /**
     * Gives up the step {@code b} was running (it has just left RUNNING): its thread is interrupted if it runs
     * detached, and its late outcome will not match the branch's token. {@code reason} says why.
     */
    void cancel(Branch b, String reason) {
        for (StepSlot slot : slots) {
            if (slot.isFor(b.id, b.stepToken)) {
                slot.cancel();
                break;
            }
        }
        b.stepToken++;
        abandoned(b, b.stepToken - 1, reason);
    }

    /** The detached step {@code token} of {@code b} was given up (timed out or cancelled) while its thread may run. */
    void abandoned(Branch b, long token, String reason) {
        for (StepSlot slot : slots) {
            if (slot.isFor(b.id, token)) {
                slot.abandon(b.node); // counted until its thread returns, whatever happens to the session meanwhile
                break;
            }
        }
        inFlight--;
        zombies++;
        int step = b.stepNumber;
        int attempt = b.attempt;
        c.telemetry.emit(() ->
                new OrchestraEvent.StepAbandoned(c.spec.sessionId(), c.now(), b.id, b.node, step, attempt, reason));
    }

    /** Interrupts every running step (cancellation, run timeout). */
    void interruptAll() {
        for (StepSlot slot : slots) {
            if (slot.inline) {
                slot.interrupt(StepSlot.REASON_CANCEL);
            } else {
                slot.cancel();
            }
        }
    }

    /**
     * Called by the scanner thread: interrupts overdue steps (a step timeout is then posted), and hands an overrunning
     * inline step's driving role to a fresh thread. Returns when the next running step comes due (epoch millis of the
     * session clock), or {@code Long.MAX_VALUE}.
     */
    long scan(long nowMillis, InlineStep inline) {
        List<StepSlot> due = null; // none, nearly always: no allocation per scan
        for (StepSlot slot : slots) {
            if (slot.overdue(nowMillis) != 0) {
                due = due == null ? new ArrayList<>(2) : due;
                due.add(slot);
            }
        }
        if (due != null) {
            due.sort(StepSlot.ORDER); // steps due at once time out in one order, not the set's (replayable runs)
            for (StepSlot slot : due) {
                interruptDue(slot, nowMillis, inline);
            }
        }
        long next = Long.MAX_VALUE;
        for (StepSlot slot : slots) {
            next = Math.min(next, slot.nextDueMillis());
        }
        return next;
    }

    private void interruptDue(StepSlot slot, long nowMillis, InlineStep inline) {
        int reason = slot.overdue(nowMillis);
        if (reason == 0) {
            return;
        }
        if (slot.inline && !inline.handOff(c)) {
            return; // it returned meanwhile
        }
        if (reason == StepSlot.REASON_TIMEOUT && slot.interrupt(reason)) {
            String branch = slot.branchId;
            if (branch != null) {
                c.post(new Signal.StepTimedOut(branch, slot.token));
            }
        }
    }
}
