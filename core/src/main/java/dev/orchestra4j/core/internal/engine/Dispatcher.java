package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.RunStatus;
import java.util.Objects;

/**
 * Starts the steps of runnable branches, up to {@code maxConcurrentSteps}: before each, the lease is checked (a lost
 * lease stops the leg, C3) and {@code maxSteps} is enforced; a step runs inline on the driving thread when it is the
 * only work and nothing waits in the mailbox, else detached on its own virtual thread.
 */
final class Dispatcher {

    private final Coordinator c;
    private final InlineStep inline;
    private final int maxConcurrent;
    private final int maxSteps;

    Dispatcher(Coordinator c, InlineStep inline) {
        this.c = c;
        this.inline = inline;
        this.maxConcurrent = c.spec.execution().maxConcurrentSteps();
        this.maxSteps = c.spec.effectiveMaxSteps();
    }

    /**
     * Starts steps for runnable branches. Returns false when nothing could be started (the loop then blocks on its
     * mailbox). A step runs inline when it is the only work and nothing is waiting in the mailbox.
     */
    boolean dispatch() {
        Machine m = c.machine;
        boolean started = false;
        while (!m.queue.isEmpty() && m.stepping.running() < maxConcurrent && !m.lifecycle.isQuiescing()) {
            Branch b = Objects.requireNonNull(m.queue.poll());
            if (!b.isRunnable()) {
                continue;
            }
            if (!c.persistence.faults.holdsLease(c)) {
                return true; // the leg stops as lost, writing nothing (C3)
            }
            if (c.state.steps >= maxSteps) {
                m.lifecycle.stop(
                        m,
                        RunStatus.FAILED,
                        "maxSteps (" + maxSteps + ") reached: the session ran " + c.state.steps + " steps; " + b
                                + " wanted another");
                c.decided();
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
                    c.time.tick(); // the step's end is the event
                    if (m.stepping.ended(outcome)) {
                        c.persistence.stepCompleted(outcome.telemetry().record());
                    }
                    c.decided();
                }
                return true;
            }
            c.steps.startDetached(call);
            started = true;
        }
        return started;
    }
}
