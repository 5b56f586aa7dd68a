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
        return TOTAL.get();
    }

    /** How many abandoned calls of {@code agent} are still running. */
    public static int running(String agent) {
        return BY_AGENT.getOrDefault(agent, 0);
    }

    static void abandoned(String agent) {
        BY_AGENT.merge(agent, 1, Integer::sum);
        TOTAL.incrementAndGet();
    }

    static void returned(String agent) {
        TOTAL.decrementAndGet();
        BY_AGENT.computeIfPresent(agent, (name, n) -> n == 1 ? null : n - 1); // no entry kept per agent name at 0
    }
}
