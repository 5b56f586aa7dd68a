package dev.orchestra4j.core.internal.engine;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;

/**
 * The seam for deterministic simulation tests (issue #11, point 5); not for production use. When a session's step
 * executor also implements this interface, the engine leaves to it what it otherwise does on threads and timers of its
 * own: deadlines are checked when the executor calls the session's {@code scan} (after moving the session clock)
 * instead of by the JVM-wide {@link DeadlineScanner} thread, the coordinator takes its next signal through {@link
 * #take}, so that the executor knows exactly when a session is idle, a lease-keeping heartbeat is handed to {@link
 * #heartbeat} instead of a thread of its own, a {@code recoverSession} watching another owner's lease waits in {@link
 * #leaseWatch} instead of parking in real time, a call waiting for another call to start or end a leg waits in {@link
 * #awaitTurn}, every driver thread of a leg is started by the executor ({@link #legDriver}, {@link #handOff}), and step
 * durations are read from {@link #nanoTime}. Nothing else changes: the engine takes the same decisions on the same
 * signals.
 */
public interface SimulationHooks extends Executor {

    /**
     * A leg's coordinator was created, on the thread that starts the leg and before its driver runs. {@code scan}
     * checks the session's deadlines against its clock (it may post signals or hand the driving role to a fresh
     * thread); the executor calls it whenever it moves the clock.
     */
    void legStarting(String sessionId, Runnable scan);

    /**
     * Takes the coordinator's next signal from {@code mailbox}, blocking until there is one. Other threads only ever
     * add to the mailbox, so an implementation that removes from it under its own lock knows, under that lock, whether
     * the coordinator is waiting with nothing to do.
     */
    <T> T take(String sessionId, BlockingQueue<T> mailbox) throws InterruptedException;

    /**
     * The driving role of the session moves to a fresh thread (an inline step overran, or a signal could not wait for
     * it): the executor starts {@code driver} on one, when it chooses (e.g. once a deadline scan has posted all it had).
     */
    void handOff(String sessionId, Runnable driver);

    /**
     * The leg's first driver (it runs the leg's coordinator): the executor starts it on a thread it owns, at once, so
     * that it knows every thread that may post to the session.
     */
    void legDriver(String sessionId, Runnable driver);

    /**
     * A call finds the session's lease held by another call that is starting or ending a leg (a {@code recoverSession}
     * may be watching another owner's lease meanwhile): it waits here until {@code turn} completes, blocking, so that
     * the executor knows this thread waits and for what.
     */
    void awaitTurn(String sessionId, java.util.concurrent.CompletableFuture<?> turn) throws InterruptedException;

    /** The leg ended: its result has been handed out and its driver thread returns. */
    void legEnded(String sessionId);

    /** A recovery replayed {@code inputs} journaled inputs through the machine (and came to the committed state). */
    default void replayed(String sessionId, int inputs) {}

    /**
     * A heartbeat write of the session is due (found by a {@code scan}): the executor runs {@code beat} when it chooses,
     * on a thread it chooses (it may run it at once, on the scanning thread). At most one is handed over at a time.
     */
    void heartbeat(String sessionId, Runnable beat);

    /**
     * A {@code recoverSession} of the session watches the stored owner's lease on the session clock: it returns when
     * the watch should look at storage again, in the meantime letting time pass (moving the clock, driving the other
     * processes). Called on the recovering thread, repeatedly until the lease has run out or the owner wrote.
     */
    void leaseWatch(String sessionId) throws InterruptedException;

    /** The time source for step durations (nanoseconds, any origin), instead of {@link System#nanoTime}. */
    long nanoTime();
}
