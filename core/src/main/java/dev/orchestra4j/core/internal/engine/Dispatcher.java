package dev.orchestra4j.core.internal.engine;

/**
 * Starts the steps the machine lets start ({@link Stepping#next}: runnable branches, up to {@code maxConcurrentSteps},
 * none while a pause is pending; {@link Stepping#mayStart}: {@code maxSteps}). Before each, the lease is checked (a
 * lost lease stops the leg, C3); a step runs inline on the driving thread when it is the only work and nothing waits
 * in the mailbox, else detached on its own virtual thread.
 */
final class Dispatcher {

    private final Coordinator c;
    private final InlineStep inline;

    Dispatcher(Coordinator c, InlineStep inline) {
        this.c = c;
        this.inline = inline;
    }

    /**
     * Starts steps for runnable branches. Returns false when nothing could be started (the loop then blocks on its
     * mailbox). A step runs inline when it is the only work and nothing is waiting in the mailbox.
     */
    boolean dispatch() {
        Machine m = c.machine;
        if (m.queue.size() > 1 && CallerDrive.yieldsBeforeFork(c)) {
            return true; // the fresh driver dispatches them
        }
        boolean started = false;
        int detached = 0;
        Steps.Launch launch = null; // a wide dispatch's steps past the first LAUNCH_AT are started by launchers
        try {
            Branch b;
            while ((b = m.next()) != null) {
                if (!c.persistence.faults.holdsLease(c)) {
                    return true; // the leg stops as lost, writing nothing (C3)
                }
                if (!m.mayStart(b)) {
                    c.decided(); // maxSteps: the run stopped
                    return true;
                }
                boolean alone =
                        m.queue.alive() == 1 && m.stepping.running() == 0 && m.queue.isEmpty() && c.mailbox.isEmpty();
                StepRunner.StepCall call = c.runner.prepare(b);
                if (alone) { // nothing was started detached in this dispatch: nothing is left to launch
                    long wake = Math.min(Math.min(b.deadlineMillis, m.timers.runDeadlineMillis()), m.timers.next());
                    c.telemetry.effects.flush(); // its StepStarted is seen while it runs
                    StepOutcome outcome = inline.run(c, call, wake);
                    if (outcome != null) {
                        if (m.ended(outcome, inline.endedAt())) { // the step's end is the event
                            c.persistence.stepCompleted(outcome.telemetry().record());
                        }
                        c.decided();
                    }
                    return true;
                }
                if (detached++ < Steps.LAUNCH_AT || !c.spec.launchesSteps()) {
                    c.steps.startDetached(call);
                } else {
                    launch = launch != null ? launch : c.steps.launch();
                    launch.add(call);
                }
                started = true;
            }
            return started;
        } finally {
            if (launch != null) {
                launch.flush(); // what was prepared starts, even when the loop stopped early or failed
            }
        }
    }
}
