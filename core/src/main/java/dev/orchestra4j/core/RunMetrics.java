package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * Counters of one run.
 *
 * @param steps agent steps (retries included)
 * @param branches branches created
 * @param invocations agent steps per agent
 * @param retries retried attempts
 * @param timeouts timeouts that fired
 * @param inputTokens model input tokens
 * @param outputTokens model output tokens
 * @param wallTime elapsed time of the run
 * @param busyTime summed duration of all agent steps (greater than wall time when branches ran in parallel)
 */
public record RunMetrics(
        int steps,
        int branches,
        Map<String, Integer> invocations,
        int retries,
        int timeouts,
        long inputTokens,
        long outputTokens,
        Duration wallTime,
        Duration busyTime) {

    public RunMetrics {
        invocations = Map.copyOf(invocations);
        requireNonNull(wallTime, "wallTime");
        requireNonNull(busyTime, "busyTime");
    }

    /** Adds two legs of one session (follow-ups, resumes). */
    public RunMetrics plus(RunMetrics other) {
        Map<String, Integer> merged = new java.util.TreeMap<>(invocations);
        other.invocations.forEach((agent, n) -> merged.merge(agent, n, Integer::sum));
        return new RunMetrics(
                steps + other.steps,
                branches + other.branches,
                merged,
                retries + other.retries,
                timeouts + other.timeouts,
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                wallTime.plus(other.wallTime),
                busyTime.plus(other.busyTime));
    }
}
