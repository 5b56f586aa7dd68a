package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a run, or of the latest leg of a session (SPEC §7).
 *
 * @param sessionId the session's id
 * @param status how it ended
 * @param finalResponse the value delivered to the run's sink (the last one if several), or null
 * @param finalResponses every value delivered to the sink, in order
 * @param branchResults every branch of the session
 * @param totalSteps agent steps over all branches
 * @param totalDuration the session's wall time
 * @param metadata extra facts ({@code follow_ups}, {@code topology_digest}, …)
 * @param error why the run did not complete
 * @param checkpointIds named checkpoints taken during the session
 * @param pendingQuestions questions waiting for {@code respond} when the status is WAITING_FOR_USER
 * @param executionTrace every step and engine decision, in order
 * @param metrics the run's counters
 */
public record OrchestraResult(
        String sessionId,
        RunStatus status,
        @Nullable Object finalResponse,
        List<Object> finalResponses,
        List<BranchResult> branchResults,
        int totalSteps,
        Duration totalDuration,
        Map<String, Object> metadata,
        Optional<String> error,
        List<String> checkpointIds,
        List<UserQuestion> pendingQuestions,
        List<TraceStep> executionTrace,
        RunMetrics metrics) {

    public OrchestraResult {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(status, "status");
        finalResponses = List.copyOf(finalResponses);
        branchResults = List.copyOf(branchResults);
        requireNonNull(totalDuration, "totalDuration");
        metadata = Map.copyOf(metadata);
        requireNonNull(error, "error");
        checkpointIds = List.copyOf(checkpointIds);
        pendingQuestions = List.copyOf(pendingQuestions);
        executionTrace = List.copyOf(executionTrace);
        requireNonNull(metrics, "metrics");
    }

    /** Whether the run completed without error. */
    public boolean success() {
        return status == RunStatus.COMPLETED;
    }

    public Optional<BranchResult> branch(String branchId) {
        return branchResults.stream().filter(b -> b.branchId().equals(branchId)).findFirst();
    }

    public List<BranchResult> successfulBranches() {
        return branchResults.stream().filter(BranchResult::success).toList();
    }

    public List<BranchResult> failedBranches() {
        return branchResults.stream()
                .filter(b -> b.status() == BranchStatus.FAILED || b.status() == BranchStatus.TIMED_OUT)
                .toList();
    }

    /** Whether {@code agent} ran at least one step. */
    public boolean wasAgentInvoked(String agent) {
        return agentInvocationCount(agent) > 0;
    }

    /** How many steps {@code agent} ran (retries included). */
    public int agentInvocationCount(String agent) {
        return metrics.invocations().getOrDefault(agent, 0);
    }

    /**
     * The final response as text: a String as it is; a Map with {@code title}/{@code summary}/{@code sections} as
     * Markdown; anything else as JSON. Empty when there is no final response.
     */
    public String finalResponseAsText() {
        return finalResponse == null ? "" : ResultRendering.asText(finalResponse);
    }

    /** The whole result as JSON (values Jackson cannot write appear as their {@code toString()}). */
    public String toJson() {
        return ResultRendering.toJson(this);
    }

    /** The trace as NDJSON, one step per line. */
    public String traceAsNdjson() {
        return ResultRendering.traceAsNdjson(executionTrace);
    }

    /** The run as a Mermaid sequence diagram. */
    public String toMermaid() {
        return ResultRendering.toMermaid(this);
    }
}
