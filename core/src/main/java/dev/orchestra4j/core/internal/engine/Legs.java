package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.core.internal.event.EventBus;
import dev.orchestra4j.core.internal.status.StatusPrinter;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The legs of one session in this process. At most one runs at a time: a leg starts only under the lease (D3), and
 * when it ends the lease passes on — to the next leg at once when answers arrived while it was suspending, else back
 * to whoever starts one next.
 */
final class Legs {

    private final Session session;
    private final SessionSpec spec;
    private final Plan plan;
    private final SessionState state;
    private final Persistence persistence;

    /** Held by the one leg that may run (or is starting to run) this session in this process. */
    private final Lease lease = new Lease();

    private volatile @Nullable Coordinator current;
    private EventBus lastBus = EventBus.of(List.of(), List.of());
    /** A pause asked for while a leg starts, before it has a coordinator. */
    private final PendingPause pendingPause = new PendingPause();

    private volatile @Nullable CompletableFuture<OrchestraResult> leg;
    private volatile @Nullable LastLeg last; // how it ended, not its result: a suspended session keeps no result
    private volatile Runnable onFinished = () -> {};

    Legs(Session session, SessionSpec spec, Plan plan, SessionState state, Persistence persistence) {
        this.session = session;
        this.spec = spec;
        this.plan = plan;
        this.state = state;
        this.persistence = persistence;
    }

    /** Takes the lease; false when a leg holds it (or is starting or ending). */
    boolean tryLease() {
        return lease.tryTake();
    }

    void release() {
        pendingPause.clear();
        lease.release();
    }

    /** The lease is held to start a leg (which may first watch another owner's lease for seconds). */
    void starting() {
        pendingPause.starting();
    }

    /** A pause while a leg is starting: it pauses before its first step. False when no leg is starting. */
    boolean pauseWhenStarted(String reason) {
        return pendingPause.offer(reason, current);
    }

    /** Released by its instance: a call that still reached this copy fails instead of waiting for it forever. */
    private volatile boolean retired;

    /** Retires this copy (see {@link Session#retire()}): false when a leg holds it. */
    boolean retire() {
        if (!tryLease()) {
            return false;
        }
        retired = true;
        lease.moved(); // callers waiting for a leg of this copy fail instead
        return true;
    }

    /**
     * A claim of this copy failed. On a storage error, storage may hold more than the copy knows (the claim's journal
     * fence, a snapshot whose write was reported failed): the copy is retired and its instance forgets it, so the next
     * call reads the session from storage again instead of failing as if another process had taken it. Otherwise the
     * lease is released.
     */
    void claimFailed(RuntimeException e) {
        pendingPause.clear();
        if (e instanceof StateException && !(e instanceof ConcurrentSessionModificationException)) {
            retired = true;
            lease.moved();
            onFinished.run();
        } else {
            release();
        }
    }

    void checkNotRetired() {
        if (retired) {
            throw new SessionException("session '" + spec.sessionId() + "' was released by this instance while this"
                    + " call started; call again to read it from storage");
        }
    }

    /** See {@link Session#checkpoint}: a running leg saves at its next loop turn first. */
    CompletableFuture<String> checkpoint(String name) {
        StateManager manager = spec.stateManager()
                .orElseThrow(() -> new SessionException(
                        "checkpoints need a StateManager; none is configured for session '" + spec.sessionId() + "'"));
        Coordinator c = current;
        CompletableFuture<String> id = new CompletableFuture<>();
        if (c != null && c.offer(new Signal.Checkpoint(name, id))) {
            return id;
        }
        StoredSessions.checkNoStepsAfterSnapshot(manager, spec.sessionId());
        String stored = manager.createCheckpoint(spec.sessionId(), name);
        state.checkpointIds.add(stored);
        return CompletableFuture.completedFuture(stored);
    }

    /** See {@link Session#respond}. */
    CompletableFuture<OrchestraResult> respond(@Nullable String interactionId, String answer) {
        while (true) {
            CompletableFuture<Void> turn = lease.turn(); // before looking: a change after it ends this turn
            Coordinator c = current;
            CompletableFuture<OrchestraResult> running = leg;
            if (c != null && running != null) {
                String question = Answers.questionId(state, spec.sessionId(), interactionId, c);
                CompletableFuture<Boolean> taken = new CompletableFuture<>();
                if (c.offer(new Signal.UserAnswer(question, answer, null, taken))) {
                    return Answers.unlessAnsweredBefore(taken, running, spec.sessionId(), question);
                }
                Lease.await(turn, spec); // that leg was ending: this answer goes to what follows it
                continue;
            }
            if (tryLease()) {
                Signal signal;
                try {
                    session.checkResumable(false);
                    signal = new Signal.UserAnswer(
                            Answers.questionId(state, spec.sessionId(), interactionId, null), answer, null);
                    session.claim();
                } catch (RuntimeException e) {
                    claimFailed(e);
                    throw e;
                }
                return launch(List.of(signal));
            }
            checkNotRetired();
            // another call is starting a leg (a recoverSession may watch another owner's lease for seconds) or one is
            // ending: wait for it, then answer that leg, or start the next
            Lease.await(turn, spec);
        }
    }

    /** Hands an answer to the leg running here, never starting one (see {@link Session#offerAnswer}). */
    boolean offerAnswer(String interactionId, String answer) {
        Coordinator c = current;
        if (c == null) {
            return false;
        }
        if (!Answers.isPending(state, interactionId, c)) {
            return false;
        }
        CompletableFuture<Boolean> taken = new CompletableFuture<>(); // true only for the answer the leg took
        return c.offer(new Signal.UserAnswer(interactionId, answer, null, taken))
                && (!CallerDrive.mayAwaitTaking(c) || CallerDrive.await(taken));
    }

    @Nullable
    Coordinator current() {
        return current;
    }

    @Nullable
    LastLeg last() {
        return last;
    }

    void onFinished(Runnable action) {
        onFinished = action;
    }

    /** Starts a leg (the lease is held) with {@code initial} signals in its mailbox; completes when it stops. */
    CompletableFuture<OrchestraResult> launch(List<Signal> initial) {
        CompletableFuture<OrchestraResult> result = new CompletableFuture<>();
        Coordinator coordinator = prepare(result, initial);
        Runnable driver = () -> coordinator.run((r, failure) -> ended(coordinator, result, r, failure));
        SimulationHooks simulation = spec.simulation();
        if (simulation != null) {
            simulation.legDriver(spec.sessionId(), driver); // a simulation starts every thread of the session
        } else {
            Thread.ofVirtual().name("orchestra4j-" + spec.sessionId()).start(driver);
        }
        return result;
    }

    /** Starts the first leg on the calling thread ({@link CallerDrive}); see {@link Session#runHere()}. */
    CompletableFuture<OrchestraResult> runHere() {
        CompletableFuture<OrchestraResult> result = new CompletableFuture<>();
        Coordinator coordinator = prepare(result, List.of());
        CallerDrive.drive(coordinator, (r, failure) -> ended(coordinator, result, r, failure));
        return result;
    }

    /** The coordinator of a new leg whose result is {@code result}, published as this session's current leg. */
    private Coordinator prepare(CompletableFuture<OrchestraResult> result, List<Signal> initial) {
        result.whenComplete((r, e) -> {
            if (e instanceof CancellationException) {
                session.cancel("the run's future was cancelled"); // D14: cancelling or interrupting the caller stops it
            }
        });
        Coordinator coordinator = coordinator();
        initial.forEach(coordinator::post);
        leg = result;
        current = coordinator;
        pendingPause.started(coordinator);
        lease.moved();
        return coordinator;
    }

    private Coordinator coordinator() {
        List<OrchestraListener> awaited = new ArrayList<>(1);
        if (spec.execution().status().isEnabled()) {
            awaited.add(new StatusPrinter(spec.execution().status()));
        }
        if (spec.awaitListeners()) {
            awaited.addAll(spec.listeners());
        }
        EventBus bus = EventBus.of(spec.awaitListeners() ? List.of() : spec.listeners(), awaited, lastBus);
        lastBus = bus; // under the lease: the next leg's listeners get its events after this one's
        Telemetry telemetry =
                new Telemetry(spec.sessionId(), state, bus, new EventTime(spec.clock(), spec.simulation() == null));
        FollowUps followUps = new FollowUps(
                spec.allowFollowUps(),
                spec.followUpTimeout(),
                spec.communication().channel());
        return new Coordinator(spec, plan, state, telemetry, new Lifecycle(followUps), persistence);
    }

    private void ended(
            Coordinator coordinator,
            CompletableFuture<OrchestraResult> result,
            @Nullable OrchestraResult r,
            @Nullable Throwable failure) {
        List<Signal.UserAnswer> leftover;
        lease.ending(); // before the leg stops taking answers: a caller it refuses waits for what follows
        try {
            leftover = coordinator.close();
        } finally {
            current = null;
            leg = null; // a suspended session keeps no result (its caller's future has it): see LastLeg
            coordinator.telemetry.close();
        }
        last = r == null ? null : new LastLeg(r.status(), r.pendingQuestions().size());
        if (r != null
                && r.status() == RunStatus.WAITING_FOR_USER
                && !leftover.isEmpty()
                && continued(leftover, result)) {
            return;
        }
        leftover.forEach(answer -> Signal.acknowledge(answer, false)); // its respond() fails: no leg will take it
        if (r == null || isTerminal(r.status())) {
            onFinished.run();
        }
        lease.release();
        if (r != null) {
            result.complete(r);
        } else {
            result.completeExceptionally(failure);
        }
    }

    /**
     * Answers that arrived while the leg was suspending: the session goes on at once in a next leg (still holding the
     * lease), and this leg's callers get that leg's result.
     */
    private boolean continued(List<Signal.UserAnswer> answers, CompletableFuture<OrchestraResult> result) {
        try {
            session.claim();
        } catch (RuntimeException e) {
            return false;
        }
        launch(List.copyOf(answers)).whenComplete((next, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(next);
            }
        });
        return true;
    }

    private static boolean isTerminal(RunStatus status) {
        return status != RunStatus.PAUSED && status != RunStatus.WAITING_FOR_USER;
    }
}
