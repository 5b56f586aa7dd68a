package dev.orchestra4j.core.internal.engine;

import java.time.Instant;

/**
 * The deciding half of one leg of a session: its state and the classes that change it — {@link Router},
 * {@link Failures}, {@link Users}, {@link Convergence}, {@link Gates}, {@link Settlement}, {@link RunQueue},
 * {@link Admission}, {@link Stepping}, {@link Timers} (the deadline queue) and {@link Lifecycle}. Events come in
 * through {@link #apply}, {@link #settle} and the few entry points the shell ({@link Coordinator}) calls when it starts
 * a step or a write fails; what they decide outside the state goes to {@link Effects}: events and questions, released
 * after the commit, and interrupts of running steps, performed by the shell at once.
 *
 * <p>Nothing here starts a thread, writes storage, reads a clock (the time is the event's, {@link EventTime}) or calls
 * user code: the machine holds no reference to the shell's classes ({@link Steps}, {@link StepRunner},
 * {@link Dispatcher}, {@link Persistence}, {@link Mailbox}), and {@code MachineBoundaryTest} keeps it so. A user
 * channel's answer is posted back through {@link #post}, from inside the effect that asked.
 */
final class Machine {

    final SessionSpec spec;
    final Plan plan;
    final SessionState state;
    final Telemetry telemetry;
    final EventTime time;
    final Timers timers;
    final Admission admission;
    final RunQueue queue;
    final Convergence convergence;
    final Gates gates;
    final Settlement settlement;
    final Router router;
    final Failures failures;
    final Users users;
    final Stepping stepping;
    final Lifecycle lifecycle;
    private final Inbox inbox;

    /** Where effects post what they learn (a user channel's answer): the session's mailbox. */
    interface Inbox {
        void post(Signal signal);
    }

    Machine(SessionSpec spec, Plan plan, SessionState state, Telemetry telemetry, Lifecycle lifecycle, Inbox inbox) {
        this.spec = spec;
        this.plan = plan;
        this.state = state;
        this.telemetry = telemetry;
        this.time = telemetry.time; // first: the helpers below may decide at construction (Users)
        this.lifecycle = lifecycle;
        this.inbox = inbox;
        this.timers = new Timers(this);
        this.stepping = new Stepping(this);
        this.admission = new Admission(this);
        this.queue = new RunQueue(this);
        this.convergence = new Convergence(this);
        this.gates = new Gates(this);
        this.settlement = new Settlement(this);
        this.router = new Router(this);
        this.failures = new Failures(this);
        this.users = new Users(this);
    }

    /** The time of the event being handled (see {@link EventTime}). */
    Instant now() {
        return time.now();
    }

    long nowMillis() {
        return time.millis();
    }

    /** Posts to the session's mailbox; only effects do, when what they performed answers back. */
    void post(Signal signal) {
        inbox.post(signal);
    }

    /**
     * Takes one signal. A checkpoint is the shell's (it writes storage): it is never handed here. A step's outcome
     * that does not match its branch's running step (given up meanwhile) is dropped; returns whether it was taken.
     */
    boolean apply(Signal signal) {
        time.tick();
        switch (signal) {
            case Signal.StepDone done -> {
                return stepping.ended(done.outcome());
            }
            case Signal.StepTimedOut t -> stepping.timedOut(t.branchId(), t.token());
            case Signal.Wake w -> timers.fireDue();
            case Signal.UserAnswer a -> {
                if (lifecycle.followUps().owns(a.interactionId())) {
                    lifecycle.followUps().answered(this, lifecycle, a.interactionId(), a.answer());
                } else {
                    users.answered(a.interactionId(), a.answer(), a.error());
                }
            }
            case Signal.Pause p -> lifecycle.requestPause(p.reason());
            case Signal.Cancel cancel -> lifecycle.cancel(this, cancel.reason());
            case Signal.Checkpoint checkpoint ->
                throw new IllegalArgumentException("a checkpoint is taken by the shell, not decided: " + checkpoint);
        }
        return true;
    }

    /** After the signals of a turn: fires the deadlines due at the turn's time, then lets waiting barriers decide. */
    void settle() {
        time.tick();
        timers.fireDue();
        gates.evaluate();
    }

    /** Nothing runs and nothing waits to run. */
    boolean isIdle() {
        return queue.isEmpty() && stepping.running() == 0;
    }
}
