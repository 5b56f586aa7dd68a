package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.SessionException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The shell around one leg's {@link Machine}: it takes signals from its mailbox and hands them to the machine, commits
 * what the machine decided, performs its effects (interrupts at once, events and questions after the commit), and
 * dispatches runnable branches — inline when a step is the only work, else on virtual threads. It runs until the run
 * completes, fails, times out, is cancelled, pauses, or waits for the user.
 */
final class Coordinator implements DeadlineScanner.Scanned {

    final SessionSpec spec;
    final Plan plan;
    final SessionState state;
    final Telemetry telemetry;
    final EventTime time;
    final Machine machine;
    final Steps steps;
    final StepRunner runner;
    final Mailbox mailbox = new Mailbox();
    final Persistence persistence;
    final Alarm alarm;
    final Ending ending;

    private final InlineStep inline = new InlineStep();
    private volatile @Nullable Thread driver;
    private @Nullable LegEnd end;
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
        this.persistence = persistence;
        this.plan = plan;
        this.state = state;
        this.telemetry = telemetry;
        this.time = telemetry.time;
        this.ending = new Ending(spec.clock());
        this.machine = new Machine(spec, plan, state, telemetry, lifecycle, mailbox::post);
        if (spec.stateManager().isPresent()) { // journaled: what the machine accepts is recorded, with its instants
            time.eager();
            machine.accepted.on();
        }
        this.steps = new Steps(this);
        this.alarm = new Alarm(this);
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

    /** Whether a simulation test drives this leg (its threads, its clock). */
    boolean simulated() {
        return simulation != null;
    }

    /** The time source of step durations: the simulation's in a simulation test (its clock), else System.nanoTime. */
    long nanoTime() {
        return simulation == null ? System.nanoTime() : simulation.nanoTime();
    }

    /** An inline step's start: the last one's end when only routing ran since ({@link EventTime#stepStart}), or now. */
    long stepStartNanos() {
        long at = time.stepStart(telemetry.listened());
        return at != EventTime.UNKNOWN ? at : nanoTime();
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
            alarm.open();
        }
        steps.add(inline.slot());
        drive(true);
    }

    private void drive(boolean first) {
        driver = Thread.currentThread();
        time.tick();
        try {
            if (first && machine.begin()) {
                persistence.save(this, Persistence.RUNNING); // a fresh run is stored before its first step
            }
            loop();
        } catch (RuntimeException | Error e) {
            if (isDriving()) {
                machine.lifecycle.crash(machine, e);
            }
        }
        if (!isDriving()) {
            return; // handed off mid-step: the new driver ends the leg
        }
        decided();
        alarm.close();
        machine.timers.release();
        time.tick();
        OrchestraResult result = null;
        Throwable failure = null;
        try {
            result = ending.end(this);
            mailbox.drain(request -> checkpoint(request, false));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        end.ended(result, failure);
        if (simulation != null) {
            simulation.legEnded(spec.sessionId());
        }
    }

    boolean isDriving() {
        return driver == Thread.currentThread();
    }

    /** Called by {@link InlineStep#handOff}: the overrunning step now counts as detached; a fresh thread drives. */
    void takeOver(StepSlot freshInlineSlot) {
        driver = null;
        steps.add(freshInlineSlot);
        startDriver(() -> drive(false));
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
        Lifecycle lifecycle = machine.lifecycle;
        while (!lifecycle.isStopped()) {
            Signal signal;
            while ((signal = mailbox.poll()) != null) {
                handle(signal);
            }
            machine.settle();
            decided();
            persistence.maybeSave(this);
            decided();
            telemetry.effects.flush(); // committed (or refused, and then discarded): listeners may see it now
            if (lifecycle.isStopped() || lifecycle.shouldSuspend(machine)) {
                return;
            }
            machine.admit();
            if (!dispatcher.dispatch()) {
                if (CallerDrive.yieldsBeforeWaiting(this)) {
                    return; // a virtual thread drives on; this caller waits for the leg's result instead
                }
                telemetry.effects.flush();
                alarm.publishWake();
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
        if (signal instanceof Signal.Checkpoint checkpoint) {
            time.tick();
            checkpoint(checkpoint, true);
            decided(); // a save that lost the session stopped the leg
            return;
        }
        ObjectNode answer = AnswerRecords.of(this, signal); // before the machine forgets the question
        boolean took = machine.apply(signal);
        if (took && (signal instanceof Signal.StepDone || signal instanceof Signal.UserAnswer)) {
            // a step's or an answer's record joins the next commit; an answer is committed before the step it lets run
            persistence.stepCompleted(
                    signal instanceof Signal.StepDone d
                            ? d.outcome().telemetry().record()
                            : answer);
        }
        Signal.acknowledge(signal, took); // a respond() or cancelSession() learns whether it was taken
        decided();
    }

    /** Performs at once the interrupts the machine's last decisions asked for (they never wait for a commit). */
    void decided() {
        telemetry.effects.interruptNow(steps);
    }

    /** Cancels from another thread (agents interrupted at once); completes false if the leg, ending, dropped it. */
    CompletableFuture<Boolean> cancelFromOutside(String reason) {
        CompletableFuture<Boolean> taken = new CompletableFuture<>();
        if (!mailbox.offer(new Signal.Cancel(reason, taken))) {
            return CompletableFuture.completedFuture(false); // the leg ended: the caller cancels what it left
        }
        steps.interruptAll();
        inline.handOff(this); // an agent ignoring the interrupt must not keep the cancellation waiting
        return CallerDrive.mayAwaitTaking(this) ? taken : CompletableFuture.completedFuture(true);
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
                        + "' was not taken: the session could not be saved first: "
                        + persistence.faults.lostReason());
            }
            String id = spec.stateManager().orElseThrow().createCheckpoint(spec.sessionId(), request.name());
            state.checkpointIds.add(id);
            machine.accepted.add(new Accepted.Checkpointed(id));
            request.id().complete(id);
        } catch (RuntimeException e) {
            request.id().completeExceptionally(e);
        }
    }

    /** Called by the scanner thread (or a simulation test): see {@link Alarm#scan}. */
    @Override
    public void scan() {
        alarm.scan(inline);
    }

    void post(Signal signal) {
        mailbox.post(signal);
    }
}
