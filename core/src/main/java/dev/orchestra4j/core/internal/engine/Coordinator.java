package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.SessionException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The actor that owns one session: it takes signals from its mailbox, lets {@link Router}, {@link Convergence} and
 * {@link Failures} decide, and dispatches runnable branches — inline when a step is the only work, else on virtual
 * threads. It runs until the run completes, fails, times out, is cancelled, pauses, or waits for the user.
 */
final class Coordinator implements DeadlineScanner.Scanned {

    final SessionSpec spec;
    final Plan plan;
    final SessionState state;
    final Telemetry telemetry;
    final Timers timers;
    final Steps steps;
    final Admission admission;
    final RunQueue queue;
    final Convergence convergence;
    final Gates gates;
    final Settlement settlement;
    final Router router;
    final Failures failures;
    final Users users;
    final StepRunner runner;
    final Mailbox mailbox = new Mailbox();
    final Persistence persistence;
    final EventTime time;

    private final InlineStep inline = new InlineStep();
    private volatile @Nullable Thread driver;
    private @Nullable LegEnd end;
    private final Lifecycle lifecycle;
    private final Dispatcher dispatcher;
    /** A simulation test's control of deadlines and waits (see {@link SimulationHooks}); null in production. */
    private final @Nullable SimulationHooks simulation;

    Coordinator(
            SessionSpec spec,
            Plan plan,
            SessionState state,
            Telemetry telemetry,
            Lifecycle lifecycle,
            Persistence persistence) {
        this.spec = spec;
        this.time = new EventTime(spec.clock()); // first: the helpers below may decide at construction (Users)
        this.persistence = persistence;
        this.plan = plan;
        this.state = state;
        this.telemetry = telemetry;
        this.lifecycle = lifecycle;
        this.timers = new Timers(this);
        this.steps = new Steps(this);
        this.admission = new Admission(this);
        this.queue = new RunQueue(this);
        this.convergence = new Convergence(this);
        this.gates = new Gates(this);
        this.settlement = new Settlement(this);
        this.router = new Router(this);
        this.failures = new Failures(this);
        this.users = new Users(this);
        this.runner = new StepRunner(this);
        this.dispatcher = new Dispatcher(this, inline);
        this.simulation = spec.simulation();
        if (simulation != null) {
            simulation.legStarting(spec.sessionId(), this::scan);
        }
    }

    /** The time of the event being handled (see {@link EventTime}). */
    Instant now() {
        return time.now();
    }

    long nowMillis() {
        return time.millis();
    }

    /** The time source of step durations: the simulation's in a simulation test (its clock), else System.nanoTime. */
    long nanoTime() {
        return simulation == null ? System.nanoTime() : simulation.nanoTime();
    }

    /** How a leg ended: its result, or the failure that kept it from producing one. */
    interface LegEnd {
        void ended(@Nullable OrchestraResult result, @Nullable Throwable failure);
    }

    /**
     * Runs the session on this thread until it stops, then reports to {@code end} — from whichever thread drives the
     * session by then (the driving role moves to a fresh thread when an inline step overruns).
     */
    void run(LegEnd end) {
        this.end = end;
        if (simulation == null) {
            timers.openAlarm();
        }
        steps.add(inline.slot());
        drive(true);
    }

    private void drive(boolean first) {
        driver = Thread.currentThread();
        time.tick();
        try {
            if (first) {
                lifecycle.begin(this);
            }
            loop();
        } catch (RuntimeException | Error e) {
            if (isDriving()) {
                lifecycle.crash(this, e);
            }
        }
        if (!isDriving()) {
            return; // handed off mid-step: the new driver ends the leg
        }
        timers.closeAlarm();
        time.tick();
        OrchestraResult result = null;
        Throwable failure = null;
        try {
            result = lifecycle.end(this);
            mailbox.drain(request -> checkpoint(request, false));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        end.ended(result, failure);
        if (simulation != null) {
            simulation.legEnded(spec.sessionId());
        }
    }

    private boolean isDriving() {
        return driver == Thread.currentThread();
    }

    /** Called by {@link InlineStep#handOff}: the overrunning step now counts as detached; a fresh thread drives. */
    void takeOver(StepSlot freshInlineSlot) {
        driver = null;
        steps.add(freshInlineSlot);
        startDriver(() -> {
            steps.detached();
            drive(false);
        });
    }

    /** The driving role moves to a fresh virtual thread (nothing runs inline at this point). */
    void handDrivingToVirtualThread() {
        driver = null;
        startDriver(() -> drive(false));
    }

    private void startDriver(Runnable next) {
        if (simulation != null) {
            simulation.handOff(spec.sessionId(), next);
        } else {
            Thread.ofVirtual().name("orchestra4j-" + spec.sessionId()).start(next);
        }
    }

    /** Whether the driving thread was interrupted by its owner (not by a step slot); the leg is then cancelled. */
    volatile boolean driverInterrupted;

    /** The driving thread's owner interrupted it during an inline step: cancel the leg. */
    void interruptedFromOutside() {
        driverInterrupted = true;
        mailbox.post(new Signal.Cancel("the thread driving the session was interrupted"));
    }

    /**
     * Posts from another thread. Returns false when this leg has already ended without taking the signal (the caller
     * then turns to the session's next leg).
     */
    boolean offer(Signal signal) {
        if (!mailbox.offer(signal)) {
            return false;
        }
        inline.handOff(this); // a long inline step must not keep a checkpoint or an answer waiting (D11)
        return true;
    }

    /** Ends the leg for posters: checkpoints asked for meanwhile use the state it saved; answers are returned. */
    java.util.List<Signal.UserAnswer> close() {
        return mailbox.close(request -> checkpoint(request, false));
    }

    private void loop() {
        while (!lifecycle.isStopped()) {
            Signal signal;
            while ((signal = mailbox.poll()) != null) {
                handle(signal);
            }
            time.tick();
            timers.fireDue();
            gates.evaluate();
            persistence.maybeSave(this);
            telemetry.effects.flush(); // committed (or refused, and then discarded): listeners may see it now
            if (lifecycle.isStopped() || lifecycle.shouldSuspend(this)) {
                return;
            }
            admission.admit();
            if (!dispatcher.dispatch()) {
                if (CallerDrive.yieldsBeforeWaiting(this)) {
                    return; // a virtual thread drives on; this caller waits for the leg's result instead
                }
                telemetry.effects.flush();
                timers.publishWake();
                Signal next = mailbox.take(simulation, spec.sessionId());
                if (Thread.interrupted()) { // the driving thread's owner interrupted it: cancel the leg
                    driverInterrupted = true; // CallerDrive sets the flag again once the caller stops driving
                    if (!(next instanceof Signal.Cancel)) {
                        mailbox.post(new Signal.Cancel("the thread driving the session was interrupted"));
                    }
                }
                handle(next);
            } else if (!isDriving()) {
                return;
            }
        }
    }

    private void handle(Signal signal) {
        time.tick();
        switch (signal) {
            case Signal.StepDone done -> {
                Branch b = state.branches.get(done.outcome().branchId());
                if (b != null && b.isRunning(done.outcome().token())) {
                    steps.finished(); // an abandoned step was uncounted when it was abandoned
                    runner.complete(b, done.outcome());
                }
            }
            case Signal.StepTimedOut t -> runner.timedOut(t.branchId(), t.token());
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
            case Signal.Checkpoint checkpoint -> checkpoint(checkpoint, true);
        }
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Cancels from another thread: the loop gets the signal, and a running agent is interrupted at once. */
    void cancelFromOutside(String reason) {
        mailbox.post(new Signal.Cancel(reason));
        steps.interruptAll();
        inline.handOff(this); // an agent ignoring the interrupt must not keep the cancellation waiting
    }

    /**
     * Takes a named checkpoint: a running leg saves first; an ended one uses the state it saved. When that state could
     * not be saved (storage failed, or the session was lost to another owner) there is nothing true to copy: it fails.
     */
    private void checkpoint(Signal.Checkpoint request, boolean saveFirst) {
        try {
            if (saveFirst) {
                persistence.save(this, Persistence.RUNNING);
            }
            persistence.faults.throwIfStorageFailed(this);
            if (persistence.faults.isLost()) {
                throw new SessionException("checkpoint '" + request.name() + "' of session '" + spec.sessionId()
                        + "' was not taken: the session could not be saved first");
            }
            String id = spec.stateManager().orElseThrow().createCheckpoint(spec.sessionId(), request.name());
            state.checkpointIds.add(id);
            request.id().complete(id);
        } catch (RuntimeException e) {
            request.id().completeExceptionally(e);
        }
    }

    /** Called by the scanner thread (or a simulation test): see {@link Timers#scan}. */
    @Override
    public void scan() {
        timers.scan(inline);
    }

    void post(Signal signal) {
        mailbox.post(signal);
    }

    boolean isIdle() {
        return queue.isEmpty() && steps.inFlight() == 0;
    }
}
