package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The agent calls a session has running, as the shell sees them: the {@link StepSlot} of each (so a timeout or a
 * cancellation can interrupt it), and which of them were given up while their threads still run (zombies). The machine
 * ({@link Stepping}) counts steps in flight and decides when one is given up; this class performs it — interrupts the
 * thread and keeps the slot counted as abandoned until its thread returns ({@link OrchestraEvent.StepAbandoned} is the
 * machine's). A late outcome of a step given up no longer matches its branch's token and is dropped. A step's thread
 * only marks its slot returned; {@link StepSlots} drops it later, on the driving thread.
 */
final class Steps implements Effects.Interrupter {

    /** The detached steps one dispatch starts on the driving thread before it hands the rest to launchers. */
    static final int LAUNCH_AT = 16;

    /** How many steps one launcher thread starts. */
    static final int LAUNCH_CHUNK = 64;

    private final Coordinator c;
    private final StepSlots slots = new StepSlots();

    Steps(Coordinator coordinator) {
        this.c = coordinator;
    }

    void add(StepSlot slot) {
        slots.add(slot);
    }

    /** An inline step handed off while it ran has returned on its stuck thread. */
    void forget(StepSlot slot) {
        slot.returned(); // unlisted by a later pass
    }

    /** Starts {@code call} on the step executor; its slot is registered first, so no cancellation misses it (D13). */
    void startDetached(StepRunner.StepCall call) {
        StepSlot slot = new StepSlot(call.branchId(), call.token(), call.deadlineMillis());
        slots.addDetached(slot);
        c.alarm.arm(call.deadlineMillis()); // times out also when the executor never begins it
        start(call, slot);
    }

    /** Starts the steps of one wide dispatch (see {@link Launch}); the caller flushes it when the dispatch ends. */
    Launch launch() {
        return new Launch();
    }

    /**
     * The detached steps of one wide dispatch (a fork) past its first {@link #LAUNCH_AT}: registered on the driving
     * thread as they are prepared, and handed in chunks of {@link #LAUNCH_CHUNK} to launcher threads, which submit them
     * to the step executor while the driving thread goes on (to prepare the rest, then to take outcomes) instead of
     * paying every thread start itself. Local to one dispatch on the driving thread.
     */
    final class Launch {

        private final StepRunner.StepCall[] calls = new StepRunner.StepCall[LAUNCH_CHUNK];
        private final StepSlot[] callSlots = new StepSlot[LAUNCH_CHUNK];
        private int size;

        void add(StepRunner.StepCall call) {
            StepSlot slot = new StepSlot(call.branchId(), call.token(), call.deadlineMillis());
            slots.addDetached(slot);
            c.alarm.arm(call.deadlineMillis());
            calls[size] = call;
            callSlots[size++] = slot;
            if (size == LAUNCH_CHUNK) {
                flush();
            }
        }

        /** Hands what was added since the last chunk to a launcher thread. */
        void flush() {
            if (size == 0) {
                return;
            }
            StepRunner.StepCall[] chunk = Arrays.copyOf(calls, size);
            StepSlot[] chunkSlots = Arrays.copyOf(callSlots, size);
            size = 0;
            try {
                Thread.startVirtualThread(() -> {
                    for (int i = 0; i < chunk.length; i++) {
                        start(chunk[i], chunkSlots[i]);
                    }
                });
            } catch (RuntimeException | Error e) { // no thread for the launcher: its steps fail, none is left waiting
                for (int i = 0; i < chunk.length; i++) {
                    refused(chunk[i], chunkSlots[i], e);
                }
            }
        }
    }

    /**
     * Submits one detached step. An executor that refuses it (a bounded pool's {@code RejectedExecutionException},
     * say) fails that step, naming the agent and the branch: the branch goes on as after any failed call.
     */
    private void start(StepRunner.StepCall call, StepSlot slot) {
        try {
            c.spec.stepExecutor().execute(() -> runDetached(call, slot));
        } catch (RuntimeException | Error e) {
            refused(call, slot, e);
        }
    }

    /** A step that could not be started fails, naming the agent and why; its slot counts as returned. */
    private void refused(StepRunner.StepCall call, StepSlot slot, Throwable why) {
        AgentException failure = new AgentException(
                "the step executor refused the step of agent '" + call.agentName() + "' on " + call.branchId() + ": "
                        + why,
                why);
        c.post(new Signal.StepDone(StepOutcome.failed(
                call, failure, c.runner.classified(failure), c.spec.clock().instant())));
        slot.returned();
    }

    private void runDetached(StepRunner.StepCall call, StepSlot slot) {
        try {
            c.post(new Signal.StepDone(c.runner.execute(call, slot)));
        } catch (Throwable e) {
            // Even if building the outcome fails (out of memory, say), the coordinator hears of the step's end.
            c.post(new Signal.StepDone(StepOutcome.failed(call, e, c.runner.classified(e), Instant.EPOCH)));
        } finally {
            slot.returned(); // no write to the shared list here: the driving thread unlists it later
        }
    }

    @Override
    public void abandon(String branchId, long token, String node, boolean interrupt) {
        for (StepSlot slot : slots) {
            if (slot.isFor(branchId, token)) {
                if (interrupt) {
                    slot.cancel();
                }
                slot.abandon(node); // counted until its thread returns, whatever happens to the session meanwhile
                break;
            }
        }
    }

    /** Interrupts every running step (cancellation, run timeout). */
    @Override
    public void interruptAll() {
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
        if (reason == StepSlot.REASON_TIMEOUT && (slot.interrupt(reason) || slot.expire())) {
            String branch = slot.branchId;
            if (branch != null) {
                c.post(new Signal.StepTimedOut(branch, slot.token));
            }
        }
    }
}
