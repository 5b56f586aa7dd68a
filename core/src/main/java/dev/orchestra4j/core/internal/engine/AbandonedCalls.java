package dev.orchestra4j.core.internal.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Agent calls the engine gave up on (timed out, cancelled, the run ended) whose threads are still inside the agent, in
 * this JVM, by agent. A thread is a resource of the process, not of a session, so this outlives the sessions that
 * abandoned the calls: it falls back when each stuck thread finally returns. Read through {@code
 * Orchestra.abandonedStepsRunning}.
 */
public final class AbandonedCalls {

    private static final AtomicInteger TOTAL = new AtomicInteger();
    private static final ConcurrentMap<String, Integer> BY_AGENT = new ConcurrentHashMap<>();

    private AbandonedCalls() {}

    /** How many abandoned calls are still running, of every agent. */
    public static int running() {
        return Math.max(0, TOTAL.get()); // below 0 only for the instant a return is counted before its abandon
    }

    /** How many abandoned calls of {@code agent} are still running. */
    public static int running(String agent) {
        return Math.max(0, BY_AGENT.getOrDefault(agent, 0));
    }

    /**
     * A call of {@code agent} was given up. Its thread may return on another thread before this is counted (a step
     * slot marks itself abandoned, then counts): the two are added in either order, so the count comes back to 0.
     */
    static void abandoned(String agent) {
        BY_AGENT.merge(agent, 1, AbandonedCalls::sum);
        TOTAL.incrementAndGet();
    }

    static void returned(String agent) {
        TOTAL.decrementAndGet();
        BY_AGENT.merge(agent, -1, AbandonedCalls::sum);
    }

    /** No entry kept per agent name at 0. */
    private static @org.jspecify.annotations.Nullable Integer sum(Integer a, Integer b) {
        int n = a + b;
        return n == 0 ? null : n;
    }
}
