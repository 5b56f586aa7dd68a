package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a run, or of the latest leg of a session (SPEC §7): status, final response, branches, trace and
 * metrics. Immutable; the engine builds it with {@link #builder()}.
 */
public final class OrchestraResult {

    private final String sessionId;
    private final RunStatus status;
    private final Object finalResponse;
    private final List<Object> finalResponses;
    private final List<BranchResult> branchResults;
    private final int totalSteps;
    private final Duration totalDuration;
    private final Map<String, Object> metadata;
    private final Optional<String> error;
    private final List<String> checkpointIds;
    private final List<UserQuestion> pendingQuestions;
    private final List<TraceStep> executionTrace;
    private final RunMetrics metrics;
    private final boolean ownershipLost;

    private OrchestraResult(Builder b) {
        this.sessionId = b.sessionId;
        this.status = b.status;
        this.finalResponse = b.finalResponse;
        this.finalResponses = List.copyOf(b.finalResponses);
        this.branchResults = List.copyOf(b.branchResults);
        this.totalSteps = b.totalSteps;
        this.totalDuration = b.totalDuration;
        this.metadata = Map.copyOf(b.metadata);
        this.error = b.error;
        this.checkpointIds = List.copyOf(b.checkpointIds);
        this.pendingQuestions = List.copyOf(b.pendingQuestions);
        this.executionTrace = List.copyOf(b.executionTrace);
        this.metrics = b.metrics;
        this.ownershipLost = b.ownershipLost;
    }

    /** A builder with every field at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this OrchestraResult's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The session's id. */
    public String sessionId() {
        return sessionId;
    }

    /** How the run (or the latest leg) ended. */
    public RunStatus status() {
        return status;
    }

    /** The value delivered to the run's sink (the last one if several), or null; see {@link #finalResponse(Class)} for a typed view. */
    public @Nullable Object finalResponse() {
        return finalResponse;
    }

    /** Every value delivered to the sink, in order. */
    public List<Object> finalResponses() {
        return finalResponses;
    }

    /** Every branch of the session. */
    public List<BranchResult> branchResults() {
        return branchResults;
    }

    /** Agent steps over all branches. */
    public int totalSteps() {
        return totalSteps;
    }

    /** The session's wall time. */
    public Duration totalDuration() {
        return totalDuration;
    }

    /** Extra facts ({@code follow_ups}, {@code topology_digest}, …). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Why the run did not complete. */
    public Optional<String> error() {
        return error;
    }

    /**
     * Named checkpoints of the session, as storage lists them when the run ends. When that listing fails (the run's
     * final state was saved already), this is empty and {@code metadata().get("checkpoint_ids_unavailable")} says why.
     */
    public List<String> checkpointIds() {
        return checkpointIds;
    }

    /** Questions waiting for {@code respond} when the status is WAITING_FOR_USER. */
    public List<UserQuestion> pendingQuestions() {
        return pendingQuestions;
    }

    /** Every step and engine decision, in order. */
    public List<TraceStep> executionTrace() {
        return executionTrace;
    }

    /** The run's counters. */
    public RunMetrics metrics() {
        return metrics;
    }

    /**
     * Whether this leg stopped because another process took the session over (it was fenced out by a newer write, or
     * its lease check said it no longer owns the session). The status is then {@link RunStatus#FAILED} for this
     * process only: nothing was written, and the session goes on with its new owner. A supervisor should drop its
     * copy, not report a failure.
     */
    public boolean isOwnershipLost() {
        return ownershipLost;
    }

    /** Whether the run completed without error. */
    public boolean success() {
        return status == RunStatus.COMPLETED;
    }

    /**
     * The final response converted to {@code type} through Jackson: itself when it already is one, else a Map to a
     * record or POJO, a number to another number type, and so on.
     *
     * @throws IllegalStateException when there is no final response (the status says why)
     * @throws IllegalArgumentException naming {@code finalResponse} when the value cannot be converted
     */
    public <T> T finalResponse(Class<T> type) {
        if (finalResponse == null) {
            throw new IllegalStateException("session '" + sessionId + "' has no finalResponse (status " + status
                    + error.map(e -> ": " + e).orElse("") + ")");
        }
        return TypedValues.convert(finalResponse, type, "finalResponse");
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

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OrchestraResult that)) {
            return false;
        }
        return java.util.Objects.equals(sessionId, that.sessionId)
                && java.util.Objects.equals(status, that.status)
                && java.util.Objects.equals(finalResponse, that.finalResponse)
                && java.util.Objects.equals(finalResponses, that.finalResponses)
                && java.util.Objects.equals(branchResults, that.branchResults)
                && totalSteps == that.totalSteps
                && java.util.Objects.equals(totalDuration, that.totalDuration)
                && java.util.Objects.equals(metadata, that.metadata)
                && java.util.Objects.equals(error, that.error)
                && java.util.Objects.equals(checkpointIds, that.checkpointIds)
                && java.util.Objects.equals(pendingQuestions, that.pendingQuestions)
                && java.util.Objects.equals(executionTrace, that.executionTrace)
                && java.util.Objects.equals(metrics, that.metrics)
                && ownershipLost == that.ownershipLost;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                sessionId,
                status,
                finalResponse,
                finalResponses,
                branchResults,
                totalSteps,
                totalDuration,
                metadata,
                error,
                checkpointIds,
                pendingQuestions,
                executionTrace,
                metrics,
                ownershipLost);
    }

    @Override
    public String toString() {
        return "OrchestraResult[" + "sessionId=" + sessionId + ", " + "status=" + status + ", " + "finalResponse="
                + finalResponse + ", " + "finalResponses=" + finalResponses + ", " + "branchResults=" + branchResults
                + ", " + "totalSteps=" + totalSteps + ", " + "totalDuration=" + totalDuration + ", " + "metadata="
                + metadata + ", " + "error=" + error + ", " + "checkpointIds=" + checkpointIds + ", "
                + "pendingQuestions=" + pendingQuestions + ", " + "executionTrace=" + executionTrace + ", " + "metrics="
                + metrics + ", ownershipLost=" + ownershipLost + "]";
    }

    /** Builds a {@link OrchestraResult}; setters check their argument at once. */
    public static final class Builder {
        private @Nullable String sessionId;
        private @Nullable RunStatus status;
        private @Nullable Object finalResponse;
        private List<Object> finalResponses = List.of();
        private List<BranchResult> branchResults = List.of();
        private int totalSteps;
        private Duration totalDuration = Duration.ZERO;
        private Map<String, Object> metadata = Map.of();
        private Optional<String> error = Optional.empty();
        private List<String> checkpointIds = List.of();
        private List<UserQuestion> pendingQuestions = List.of();
        private List<TraceStep> executionTrace = List.of();
        private RunMetrics metrics = RunMetrics.builder().build();
        private boolean ownershipLost;

        private Builder() {}

        private Builder(OrchestraResult v) {
            sessionId = v.sessionId;
            status = v.status;
            finalResponse = v.finalResponse;
            finalResponses = v.finalResponses;
            branchResults = v.branchResults;
            totalSteps = v.totalSteps;
            totalDuration = v.totalDuration;
            metadata = v.metadata;
            error = v.error;
            checkpointIds = v.checkpointIds;
            pendingQuestions = v.pendingQuestions;
            executionTrace = v.executionTrace;
            metrics = v.metrics;
            ownershipLost = v.ownershipLost;
        }

        public Builder sessionId(String value) {
            sessionId = requireNonNull(value, "sessionId");
            return this;
        }

        public Builder status(RunStatus value) {
            status = requireNonNull(value, "status");
            return this;
        }

        public Builder finalResponse(@Nullable Object value) {
            finalResponse = value;
            return this;
        }

        public Builder finalResponses(List<Object> value) {
            finalResponses = List.copyOf(value);
            return this;
        }

        public Builder branchResults(List<BranchResult> value) {
            branchResults = List.copyOf(value);
            return this;
        }

        public Builder totalSteps(int value) {
            totalSteps = value;
            return this;
        }

        public Builder totalDuration(Duration value) {
            totalDuration = requireNonNull(value, "totalDuration");
            return this;
        }

        public Builder metadata(Map<String, Object> value) {
            metadata = Map.copyOf(value);
            return this;
        }

        public Builder error(Optional<String> value) {
            error = requireNonNull(value, "error");
            return this;
        }

        public Builder checkpointIds(List<String> value) {
            checkpointIds = List.copyOf(value);
            return this;
        }

        public Builder pendingQuestions(List<UserQuestion> value) {
            pendingQuestions = List.copyOf(value);
            return this;
        }

        public Builder executionTrace(List<TraceStep> value) {
            executionTrace = List.copyOf(value);
            return this;
        }

        public Builder metrics(RunMetrics value) {
            metrics = requireNonNull(value, "metrics");
            return this;
        }

        /** See {@link OrchestraResult#isOwnershipLost()}. */
        public Builder ownershipLost(boolean value) {
            ownershipLost = value;
            return this;
        }

        /** Builds the OrchestraResult; fails naming the first required field that was not set. */
        public OrchestraResult build() {
            requireSet(sessionId, "sessionId");
            requireSet(status, "status");
            return new OrchestraResult(this);
        }

        private static void requireSet(@Nullable Object value, String field) {
            if (value == null) {
                throw new IllegalStateException(
                        "OrchestraResult." + field + " is required: call " + field + "(...) before build()");
            }
        }
    }
}
