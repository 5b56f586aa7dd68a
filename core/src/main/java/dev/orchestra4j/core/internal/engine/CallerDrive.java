package dev.orchestra4j.core.internal.engine;

/**
 * A blocking caller that drives its own session (SPEC §4.1): instead of starting a coordinator thread and sleeping
 * until it is done (two thread hand-offs per run, ~50 µs on a loaded 2-vCPU machine), the caller runs the coordinator
 * loop itself, with steps inline where the engine runs them inline anyway. A step that overruns still loses the
 * driving role to a fresh virtual thread ({@link InlineStep}), so the session never waits for the caller's thread.
 *
 * <p>The caller's thread can be interrupted by its owner, which cancels the session (D14), like interrupting a caller
 * that waits on the session's future. Such an interrupt is told apart from the engine's own (a step timeout or a
 * cancellation goes through the step's {@link StepSlot}, which reports a reason and clears the flag): any other
 * interrupt seen by the driving thread is its owner's.
 */
final class CallerDrive {

    private CallerDrive() {}

    /**
     * Drives {@code c} on this thread until its leg ends ({@code end} is then called here) or the driving role moves to
     * another thread (which calls {@code end}). Sets this thread's interrupt flag again if it was interrupted meanwhile.
     */
    static void drive(Coordinator c, Coordinator.LegEnd end) {
        c.run(end);
        if (c.driverInterrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Called when the loop is about to wait for its mailbox (steps run detached, a retry waits, an answer is due):
     * a platform thread does not wait there, since every wake-up of a parked platform thread costs tens of
     * microseconds on a loaded machine, and a fan-in could wake it once per branch. It hands the driving role to a
     * fresh virtual thread, whose wake-ups are cheap, and returns true; the caller then waits once, for the leg's
     * result. A virtual thread keeps driving.
     */
    static boolean yieldsBeforeWaiting(Coordinator c) {
        if (Thread.currentThread().isVirtual()) {
            return false;
        }
        c.handDrivingToVirtualThread();
        return true;
    }

    /**
     * Called when several steps are about to start detached (a fork): a platform thread hands the driving role to a
     * fresh virtual thread first, as it would at its first wait a moment later. Started from a carrier, the step
     * threads queue behind the driver instead of three threads contending for two cores while it starts them, and its
     * first wait finds their outcomes in one batch ({@link Mailbox#take}). Not in a simulation test, whose drivers are
     * its own.
     */
    static boolean yieldsBeforeFork(Coordinator c) {
        if (Thread.currentThread().isVirtual() || c.simulated()) {
            return false;
        }
        c.handDrivingToVirtualThread();
        return true;
    }

    /**
     * Whether a caller posting a signal to {@code c} may wait for the leg to take it: not the thread driving the leg
     * (it would wait on itself), nor a simulation test's thread (the simulation runs its threads one at a time).
     */
    static boolean mayAwaitTaking(Coordinator c) {
        return !c.isDriving() && !c.simulated();
    }

    /**
     * Waits for the leg to say whether it took a signal; a listener's thread first stops being awaited (the leg may be
     * ending, and waiting for that listener).
     */
    static boolean await(java.util.concurrent.CompletableFuture<Boolean> taken) {
        if (!taken.isDone()) {
            dev.orchestra4j.core.internal.event.EventBus.releaseCurrentListener();
        }
        return taken.join();
    }

    /**
     * Checks an inline step's outcome for an interrupt its slot did not send: the driving thread's owner interrupted
     * it, so the leg is cancelled and the step counts as cancelled (its failure is not retried or reported).
     */
    static StepOutcome checkInterrupt(Coordinator c, StepOutcome outcome) {
        if (outcome.interrupted() != 0) {
            return outcome; // the slot interrupted it and cleared the flag
        }
        boolean flagged = Thread.interrupted();
        if (!flagged && !(outcome.error() instanceof InterruptedException)) {
            return outcome;
        }
        c.interruptedFromOutside();
        return outcome.interrupted(StepSlot.REASON_CANCEL);
    }
}
