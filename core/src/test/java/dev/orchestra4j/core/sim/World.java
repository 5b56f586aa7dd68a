package dev.orchestra4j.core.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One case's shared bookkeeping, all guarded by one lock: the threads the simulation started for blocking calls
 * ({@code respond}, {@code resumeSession}, {@code recoverSession}) and every agent invocation. Every thread that can
 * change the session is one the simulation started (helpers, step threads, every driver of a leg) and is counted busy
 * until it ends or waits where the simulation sees it (an agent call, its coordinator's mailbox, a lease watch, a
 * lease turn); each such change signals {@link #changed}, and nothing is polled. (Only the engine's listener threads,
 * which deliver events to {@code Incarnation.events} and change nothing else, run on their own.)
 */
final class World {

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    /** Helpers that have not ended. */
    final java.util.Set<Thread> helpers = new java.util.HashSet<>();

    final List<AgentCall> calls = new ArrayList<>();
    /** Helpers parked in a lease watch until the simulation lets them look again: they do nothing meanwhile. */
    final java.util.Set<Thread> watching = new java.util.HashSet<>();
    /**
     * Helpers waiting for another call to start or end a leg, with the lease turn each waits for: they do nothing
     * until it completes (and are busy from then on, though still here until they run).
     */
    final java.util.Map<Thread, java.util.concurrent.CompletableFuture<?>> awaitingTurn = new java.util.HashMap<>();
    /** How many legs the case's processes started: each leg's number. */
    int legs;
    /** What happened off the simulation's thread (an injected fault, a checkpoint taken), for its trail. */
    final java.util.Queue<String> notes = new java.util.concurrent.ConcurrentLinkedQueue<>();

    void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code quiet} holds, checking it again on every signal (and first waking whoever waits for one: a
     * coordinator the calling thread just posted to); false when it did not within the limit (a hang).
     */
    boolean await(BooleanSupplier quiet, long limitMillis) throws InterruptedException {
        long left = TimeUnit.MILLISECONDS.toNanos(limitMillis);
        lock.lock();
        try {
            changed.signalAll();
            while (!quiet.getAsBoolean()) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether every helper has ended or waits where it does nothing until the simulation acts (under the lock). */
    boolean helpersQuiet() {
        for (Thread t : helpers) {
            if (!helpersQuiet(t)) {
                return false;
            }
        }
        return true;
    }

    /** Whether helper {@code t} (not ended) waits where it does nothing until the simulation acts (under the lock). */
    boolean helpersQuiet(Thread t) {
        java.util.concurrent.CompletableFuture<?> turn = awaitingTurn.get(t);
        return watching.contains(t) || (turn != null && !turn.isDone());
    }

    /** How a leg's future failed, without the wrapper {@code whenComplete} adds. */
    static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Starts a helper for a blocking call; it is tracked until it ends. */
    Thread helper(String name, Runnable body) {
        lock.lock();
        try {
            Thread t = Thread.ofVirtual().name("sim-" + name).unstarted(() -> {
                try {
                    body.run();
                } finally {
                    lock.lock();
                    try {
                        helpers.remove(Thread.currentThread());
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            });
            helpers.add(t);
            t.start();
            return t;
        } finally {
            lock.unlock();
        }
    }
}
