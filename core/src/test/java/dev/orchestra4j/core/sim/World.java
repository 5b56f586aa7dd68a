package dev.orchestra4j.core.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One case's shared bookkeeping, all guarded by one lock: the threads the simulation started for blocking calls
 * ({@code respond}, {@code resumeSession}, {@code recoverSession}) and every agent invocation. Whatever changes state
 * the simulation waits on signals {@link #changed}; what changes without a signal (a thread entering a blocking wait,
 * a signal added to a mailbox) is polled.
 */
final class World {

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final List<Thread> helpers = new ArrayList<>();
    final List<AgentCall> calls = new ArrayList<>();
    /** Helpers parked in a lease watch until the simulation lets them look again: they do nothing meanwhile. */
    final java.util.Set<Thread> watching = new java.util.HashSet<>();
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

    /** Waits (holding the lock between checks) until {@code quiet} holds; false when it did not within the limit. */
    boolean await(BooleanSupplier quiet, long limitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        lock.lock();
        try {
            while (!quiet.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                changed.await(100, TimeUnit.MICROSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether every helper thread has ended or waits for its leg's result (it then does nothing until the leg ends). */
    boolean helpersQuiet() {
        for (Thread t : helpers) {
            if (t.isAlive() && !watching.contains(t) && !waitsForResult(t)) {
                return false;
            }
        }
        return true;
    }

    private static boolean waitsForResult(Thread t) {
        if (t.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals("java.util.concurrent.CompletableFuture")) {
                return true;
            }
        }
        return false;
    }

    /** Starts a helper for a blocking call; it is tracked until it ends. */
    Thread helper(String name, Runnable body) {
        lock.lock();
        try {
            Thread t = Thread.ofVirtual().name("sim-" + name).unstarted(() -> {
                try {
                    body.run();
                } finally {
                    signal();
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
