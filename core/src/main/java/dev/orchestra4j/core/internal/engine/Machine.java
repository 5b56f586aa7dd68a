package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import java.time.Instant;
import java.util.List;

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
    /** What this machine accepted since the last commit, for the journal (on only when the session is journaled). */
    final Accepted accepted = new Accepted();

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
        this.time = telemetry.time;
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

    /** The leg begins (fresh or resumed); returns whether it started the run afresh. */
    boolean begin() {
        time.tick();
        if (accepted.isOn()) {
            accepted.add(new Accepted.Begin(time.now()));
        }
        return lifecycle.begin(this);
    }

    /**
     * Takes one signal. A checkpoint is the shell's (it writes storage): it is never handed here. A step's outcome
     * that does not match its branch's running step (given up meanwhile) is dropped; returns whether it was taken.
     */
    boolean apply(Signal signal) {
        if (signal instanceof Signal.StepDone done) {
            return ended(done.outcome());
        }
        time.tick();
        if (accepted.isOn()) {
            accepted.add(new Accepted.Took(time.now(), signal));
        }
        switch (signal) {
            case Signal.StepDone done -> throw new AssertionError(done);
            case Signal.StepTimedOut t -> stepping.timedOut(t.branchId(), t.token());
            case Signal.Wake w -> timers.fireDue();
            case Signal.UserAnswer a -> {
                return lifecycle.followUps().owns(a.interactionId())
                        ? lifecycle.followUps().answered(this, lifecycle, a.interactionId(), a.answer())
                        : users.answered(a.interactionId(), a.answer(), a.error());
            }
            case Signal.Pause p -> lifecycle.requestPause(p.reason());
            case Signal.Cancel cancel -> lifecycle.cancel(this, cancel.reason());
            case Signal.Checkpoint checkpoint ->
                throw new IllegalArgumentException("a checkpoint is taken by the shell, not decided: " + checkpoint);
        }
        return true;
    }

    /** A step's outcome is the event (posted, or an inline step returned); false when it was given up meanwhile. */
    boolean ended(StepOutcome outcome) {
        time.tick();
        return take(outcome);
    }

    /**
     * An inline step's outcome: the event begins at {@code atNanos}, the shell's reading of the step's end ({@link
     * EventTime#tickAt}).
     */
    boolean ended(StepOutcome outcome, long atNanos) {
        time.tickAt(atNanos);
        return take(outcome);
    }

    private boolean take(StepOutcome outcome) {
        if (!accepted.isOn()) {
            return stepping.ended(outcome);
        }
        Branch b = state.branches.get(outcome.branchId());
        if (b == null || !b.isRunning(outcome.token())) {
            return false; // dropped: nothing to replay
        }
        List<ChatMessage> before = b.memory.getOrDefault(b.node, List.of());
        accepted.add(new Accepted.Ended(time.now(), outcome, before));
        return stepping.ended(outcome);
    }

    /** After the signals of a turn: fires the deadlines due at the turn's time, then lets waiting barriers decide. */
    void settle() {
        time.settling();
        if (accepted.isOn()) {
            accepted.add(new Accepted.Settled(time.now()));
        }
        timers.fireDue();
        gates.evaluate();
    }

    /** Admits held branches where there is room ({@code max_agents}, {@code max_concurrency}). */
    void admit() {
        if (admission.size() == 0) {
            return; // nothing held: nothing to decide (and nothing to journal)
        }
        accepted.add(new Accepted.Admitted());
        admission.admit();
    }

    /** The next branch whose step may start, or null ({@link Stepping#next}). */
    @org.jspecify.annotations.Nullable
    Branch next() {
        int queued = queue.size();
        Branch b = stepping.next();
        if (b == null && queue.size() != queued) {
            accepted.add(new Accepted.Started(null, false)); // it dropped stale entries: so must a replay
        }
        return b;
    }

    /** The shell may start {@code b}'s step: whether {@code maxSteps} allows it (else the run stopped). */
    boolean mayStart(Branch b) {
        boolean allowed = stepping.mayStart(b);
        if (accepted.isOn()) { // no record at all for a session without storage
            accepted.add(new Accepted.Started(b.id, allowed));
        }
        return allowed;
    }

    /** Nothing runs and nothing waits to run. */
    boolean isIdle() {
        return queue.isEmpty() && stepping.running() == 0;
    }
}
