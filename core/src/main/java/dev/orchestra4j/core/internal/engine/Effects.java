package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.internal.event.EventBus;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session's decisions want seen or done outside the session, of two kinds. Events for its listeners, and
 * questions put to a user channel or taken back from it, are held, in the order decided, until the state that caused
 * them is committed
 * (issue #11: an event is journaled before its effects become visible). The coordinator {@link #flush() releases}
 * them after each commit and before a step starts (so a step's {@code StepStarted} is seen while it runs); when a write
 * does not go through they are {@link #discard() discarded}: no listener hears of a step that recovery runs again, and
 * no user is asked a question storage does not hold. With an auto-save interval commits are deferred, and what is held
 * goes out when the next step starts. Interrupts of running steps (a step given up because its branch ended or
 * timed out, every step when the run stops) cannot wait for a commit — a stuck agent must be stopped at once — and
 * are never dropped: the shell {@link #interruptNow performs} them as soon as the decision that asked returns. Used
 * only by the thread driving the session.
 */
final class Effects {

    private static final Logger LOG = LoggerFactory.getLogger(Effects.class);

    private final EventBus bus;
    /** A bus's listeners are fixed when it is built: asked several times per step, this is read once. */
    private final boolean listened;

    private final String sessionId;
    /** {@link OrchestraEvent}s to publish and {@link Runnable}s to run; events only when somebody listens. */
    private final ArrayList<Object> held = new ArrayList<>();
    /** Interrupts asked for and not yet performed: {@link Abandon}s, and {@link #ALL} for every running step. */
    private final ArrayList<Object> interrupts = new ArrayList<>(); // its array is made on the first (rare) add

    private static final Object ALL = new Object();

    /** The shell's side of an interrupt: the running steps' slots. */
    interface Interrupter {
        /** Gives up step {@code token} of {@code branchId} (interrupting its thread first when asked). */
        void abandon(String branchId, long token, String node, boolean interrupt);

        /** Interrupts every running step. */
        void interruptAll();
    }

    private record Abandon(String branchId, long token, String node, boolean interrupt) {}

    Effects(String sessionId, EventBus bus) {
        this.sessionId = sessionId;
        this.bus = bus;
        this.listened = bus.isActive();
    }

    boolean listened() {
        return listened;
    }

    void publish(OrchestraEvent event) {
        held.add(event);
    }

    /** A call into user code (a user channel) that must wait for the commit; it handles its own failures. */
    void perform(Runnable action) {
        held.add(action);
    }

    /** The step {@code token} of {@code branchId} is given up; its thread is interrupted when {@code interrupt}. */
    void abandon(String branchId, long token, String node, boolean interrupt) {
        interrupts.add(new Abandon(branchId, token, node, interrupt));
    }

    /** Every running step is to be interrupted (the run stops). */
    void interruptAll() {
        interrupts.add(ALL);
    }

    /** Performs the interrupts asked for, in order; they do not wait for a commit and are never discarded. */
    void interruptNow(Interrupter steps) {
        if (interrupts.isEmpty()) {
            return;
        }
        try {
            for (Object interrupt : interrupts) {
                if (interrupt instanceof Abandon a) {
                    steps.abandon(a.branchId(), a.token(), a.node(), a.interrupt());
                } else {
                    steps.interruptAll();
                }
            }
        } finally {
            interrupts.clear();
        }
    }

    /** Publishes and performs what was held, in order: what caused it is committed (or nothing needs committing). */
    void flush() {
        if (held.isEmpty()) {
            return;
        }
        // nothing performed here adds to held (a channel that answers at once posts to the mailbox): no copy needed
        try {
            for (Object effect : held) {
                if (effect instanceof OrchestraEvent event) {
                    bus.publish(event);
                } else {
                    ((Runnable) effect).run();
                }
            }
        } finally {
            held.clear(); // performed at most once, also when an action throws
        }
    }

    /** The events held now, in the order decided (what the next {@link #flush} would publish). */
    java.util.List<OrchestraEvent> heldEvents() {
        java.util.List<OrchestraEvent> events = new ArrayList<>();
        for (Object effect : held) {
            if (effect instanceof OrchestraEvent event) {
                events.add(event);
            }
        }
        return events;
    }

    /** A write did not go through: what it would have committed is never seen, nor asked. */
    void discard() {
        if (!held.isEmpty() && LOG.isDebugEnabled()) {
            LOG.debug(
                    "[{}] {} effect(s) dropped: the state that caused them was not committed", sessionId, held.size());
        }
        held.clear();
    }

    /** The leg ended: what is still held (its last events, after its final save) goes out, then the bus closes. */
    void close() {
        flush();
        bus.close();
    }
}
