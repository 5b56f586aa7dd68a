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
        Branch b;
        while ((b = m.next()) != null) {
            if (stopsBefore(m, b)) {
                return true;
            }
            boolean alone =
                    m.queue.alive() == 1 && m.stepping.running() == 0 && m.queue.isEmpty() && c.mailbox.isEmpty();
            StepRunner.StepCall call = c.runner.prepare(b);
            if (alone) {
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
            if (++detached > Steps.LAUNCH_AT && c.spec.launchesSteps()) {
                return launchRest(m, call);
            }
            c.steps.startDetached(call);
            started = true;
        }
        return started;
    }

    /**
     * The rest of a wide dispatch (a fork), from {@code first} on: its steps are registered here and started by
     * launcher threads in chunks ({@link Steps.Launch}), also when the loop stops early or fails.
     */
    private boolean launchRest(Machine m, StepRunner.StepCall first) {
        Steps.Launch launch = c.steps.launch();
        try {
            launch.add(first);
            Branch b;
            while ((b = m.next()) != null) {
                if (stopsBefore(m, b)) {
                    return true;
                }
                launch.add(c.runner.prepare(b)); // never alone: this dispatch has started steps
            }
            return true;
        } finally {
            launch.flush();
        }
    }

    /** Whether the loop must stop before {@code b}'s step: the lease is lost (C3), or {@code maxSteps} is reached. */
    private boolean stopsBefore(Machine m, Branch b) {
        if (!c.persistence.faults.holdsLease(c)) {
            return true; // the leg stops as lost, writing nothing
        }
        if (!m.mayStart(b)) {
            c.decided(); // maxSteps: the run stopped
            return true;
        }
        return false;
    }
}
