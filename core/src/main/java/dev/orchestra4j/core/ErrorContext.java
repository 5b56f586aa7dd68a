package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

/**
 * Why a step failed, handed to an error handler reached through an {@code [on error]} edge or shown to the user.
 *
 * @param category the classified kind of failure
 * @param message a human-readable description of the failure
 * @param failedAgent the agent whose step failed
 * @param branchId the branch the failure happened on
 * @param attempt the attempt that failed last (1-based)
 * @param input what the failed agent was given
 */
public record ErrorContext(
        ErrorCategory category, String message, String failedAgent, String branchId, int attempt, Object input) {

    public ErrorContext {
        requireNonNull(category, "category");
        requireNonNull(message, "message");
        requireNonNull(failedAgent, "failedAgent");
        requireNonNull(branchId, "branchId");
        requireNonNull(input, "input");
    }
}
