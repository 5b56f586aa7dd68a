package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.internal.event.EventBus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lease of one session in this process: held by the one call that runs a leg of it, or is starting or ending one
 * (D3). A caller that finds it held while no leg runs — another call is starting one, which may first watch another
 * owner's lease for seconds ({@code recoverSession}), or is passing the session from one leg to the next — waits for
 * its {@link #turn()} instead of spinning: a turn ends when the holder publishes a leg, gives the session up, or lets
 * the lease go.
 */
final class Lease {

    private final AtomicBoolean held = new AtomicBoolean();
    /** Open while the lease is held and no leg is published; completed when that changes. Written by the holder. */
    private volatile CompletableFuture<Void> turn = CompletableFuture.completedFuture(null);

    /** Takes the lease; false when another call holds it. */
    boolean tryTake() {
        if (!held.compareAndSet(false, true)) {
            return false;
        }
        turn = new CompletableFuture<>();
        return true;
    }

    /** Lets the lease go: callers waiting for their turn look again. */
    void release() {
        CompletableFuture<Void> ended = turn; // read first: once released, the next holder opens a turn of its own
        held.set(false);
        ended.complete(null);
    }

    /** The holder published a leg, or gave this copy of the session up: callers waiting for their turn look again. */
    void moved() {
        turn.complete(null);
    }

    /** The holder's leg is ending, the lease still held (it may go on in a next leg): callers wait for what follows. */
    void ending() {
        turn = new CompletableFuture<>();
    }

    /** The current turn, read before looking at the session, to wait on when the lease turns out to be held. */
    CompletableFuture<Void> turn() {
        return turn;
    }

    /** Waits until {@code turn} (read earlier) ends; at once when it already has. */
    static void await(CompletableFuture<Void> turn, SessionSpec spec) {
        if (!turn.isDone()) {
            EventBus.releaseCurrentListener(); // a listener of the leg that ends this turn: that leg must not await it
        }
        try {
            SimulationHooks simulation = spec.simulation();
            if (simulation != null) {
                simulation.awaitTurn(spec.sessionId(), turn); // the simulation knows this thread waits, and for what
            } else {
                turn.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("interrupted while waiting for another call to start or end a leg of session '"
                    + spec.sessionId() + "'");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a lease turn never fails", e);
        }
    }
}
