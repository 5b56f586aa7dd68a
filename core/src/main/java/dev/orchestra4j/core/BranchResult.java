package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How one branch ended.
 *
 * @param branchId the branch id (unique in the session)
 * @param parentBranchId the branch that caused it (the forking branch, or the first arrival of a rendezvous), or null
 *     for a root branch
 * @param status its final status
 * @param output what the branch delivered (not its last input), or null when it delivered nothing
 * @param agents the agents it visited, in order
 * @param steps how many steps it ran
 * @param duration how long it lived
 * @param error why it failed, timed out or was abandoned
 * @param trace its steps
 */
public record BranchResult(
        String branchId,
        @Nullable String parentBranchId,
        BranchStatus status,
        @Nullable Object output,
        List<String> agents,
        int steps,
        Duration duration,
        Optional<String> error,
        List<TraceStep> trace) {

    public BranchResult {
        requireNonNull(branchId, "branchId");
        requireNonNull(status, "status");
        agents = List.copyOf(agents);
        requireNonNull(duration, "duration");
        requireNonNull(error, "error");
        trace = List.copyOf(trace);
    }

    /** Whether the branch completed (delivered its work). */
    public boolean success() {
        return status == BranchStatus.COMPLETED;
    }
}
