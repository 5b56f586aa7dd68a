package dev.orchestra4j.core.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedTransferQueue;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The signals other threads post to one leg's coordinator, and the hand-over when the leg ends: a poster learns
 * whether the leg took its signal (else it turns to the next leg), and answers that arrive while the leg is closing are
 * kept for the next one.
 */
final class Mailbox {

    /**
     * Lock-free: in a fan-in every step thread posts here while the coordinator polls, and with a locked queue they
     * queued for each other's lock.
     */
    private final LinkedTransferQueue<Signal> queue = new LinkedTransferQueue<>();

    /** Answers found among what was drained; made on the first (most legs have none). */
    private @Nullable List<Signal.UserAnswer> leftoverAnswers;

    private volatile boolean closed;

    void post(Signal signal) {
        queue.add(signal);
    }

    /**
     * Posts from another thread. Returns false when the leg has already ended without taking the signal; the queue's
     * own {@code remove} decides which side has it.
     */
    boolean offer(Signal signal) {
        queue.add(signal);
        return !closed || !queue.remove(signal);
    }

    @Nullable
    Signal poll() {
        return queue.poll();
    }

    /**
     * Blocks for the next signal; an interrupt of the driving thread becomes a cancellation (the thread's interrupt
     * flag is set again, for the coordinator to note whose it was).
     *
     * <p>A virtual thread first yields its carrier once: the step threads queued behind it run and post, and it takes
     * their outcomes in one batch instead of parking and being woken once per step (a fan-in of 1,000 parked ~800
     * times and took about 40 % longer). When nothing is queued the yield returns at once and it parks as before.
     */
    Signal take(@Nullable SimulationHooks simulation, String sessionId) {
        if (simulation == null) {
            Thread current = Thread.currentThread();
            if (current.isInterrupted()) { // as a blocking take does: the interrupt wins over what is queued
                return new Signal.Cancel("the thread driving the session was interrupted");
            }
            if (current.isVirtual()) {
                Thread.yield();
                Signal signal = queue.poll();
                if (signal != null) {
                    return signal;
                }
            }
        }
        try {
            return simulation != null ? simulation.take(sessionId, queue) : queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Signal.Cancel("the thread driving the session was interrupted");
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Hands each checkpoint request still queued to {@code checkpoint}; keeps the answers among the rest. */
    void drain(Consumer<Signal.Checkpoint> checkpoint) {
        Signal signal;
        while ((signal = queue.poll()) != null) {
            if (signal instanceof Signal.Checkpoint request) {
                checkpoint.accept(request);
            } else if (signal instanceof Signal.Cancel) {
                Signal.acknowledge(signal, false); // the leg ended without it: its caller cancels what the leg left
            } else if (signal instanceof Signal.UserAnswer answer && answer.answer() != null) {
                if (leftoverAnswers == null) {
                    leftoverAnswers = new ArrayList<>(2);
                }
                leftoverAnswers.add(answer);
            }
        }
    }

    /** Ends the leg for posters: what was posted until now is drained; the answers among it are returned. */
    List<Signal.UserAnswer> close(Consumer<Signal.Checkpoint> checkpoint) {
        closed = true;
        drain(checkpoint);
        return leftoverAnswers == null ? List.of() : List.copyOf(leftoverAnswers);
    }
}
