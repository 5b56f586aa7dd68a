package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.States;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The scheduler's small pure decisions: dispatch order, eligibility, slots and backoff (Symphony §8). */
final class Retries {

    static final Duration CONTINUATION = Duration.ofSeconds(1);
    private static final long BASE_MS = 10_000;

    private Retries() {}

    /** Priorities 1–4 first (ascending), others and null after; then oldest {@code created_at}; then identifier. */
    static final Comparator<Issue> DISPATCH_ORDER = Comparator.<Issue>comparingInt(
                    i -> i.priority() != null && i.priority() >= 1 && i.priority() <= 4 ? i.priority() : 5)
            .thenComparing(i -> i.createdAt() == null ? Instant.MAX : i.createdAt())
            .thenComparing(Issue::identifier);

    /** {@code min(10 s × 2^(attempt−1), cap)}. */
    static Duration failureBackoff(int attempt, Duration cap) {
        int exponent = Math.min(Math.max(attempt - 1, 0), 30);
        long ms = BASE_MS << exponent;
        return Duration.ofMillis(Math.min(ms < 0 ? Long.MAX_VALUE : ms, cap.toMillis()));
    }

    /** Whether the issue carries every required label (a blank required label matches nothing). */
    static boolean hasRequiredLabels(Issue issue, List<String> required) {
        for (String label : required) {
            if (label.isBlank() || !issue.labels().contains(States.normalize(label))) {
                return false;
            }
        }
        return true;
    }

    /** Active, not terminal, dispatchable and labelled: may run (slots aside). */
    static boolean isRoutable(Issue issue, RunnerConfig config) {
        RunnerConfig.TrackerSettings tracker = config.tracker();
        return tracker.isActive(issue.state())
                && !tracker.isTerminal(issue.state())
                && issue.dispatchable()
                && hasRequiredLabels(issue, tracker.requiredLabels());
    }

    /** Whether one more agent may start in {@code state}, given the states of the running ones. */
    static boolean hasSlot(String state, List<String> runningStates, RunnerConfig config) {
        RunnerConfig.AgentSettings agent = config.agent();
        if (runningStates.size() >= agent.maxConcurrentAgents()) {
            return false;
        }
        Map<String, Integer> byState = agent.maxConcurrentAgentsByState();
        String key = States.normalize(state);
        int limit = byState.getOrDefault(key, agent.maxConcurrentAgents());
        long inState = runningStates.stream()
                .map(States::normalize)
                .filter(key::equals)
                .count();
        return inState < limit;
    }
}
