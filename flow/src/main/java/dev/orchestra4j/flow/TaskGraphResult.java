package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.flow.internal.FlowJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TaskGraph} run (the run-graph {@code WorkflowStatus}): its aggregate status and one {@link TaskStatus} per
 * task, in request order. A finished run never leaves a task {@code running}: a task that could not run is {@code
 * failed} with the reason.
 *
 * @param workflowId the workflow's id (also the session id)
 * @param workflowType how the tasks ran
 * @param status the aggregate: completed, partial (some failed, some completed), failed, or pending/running
 * @param createdAt when the request was accepted
 * @param startedAt when the run started
 * @param completedAt when the run ended
 * @param tasks every task's status
 * @param metadata the request's metadata
 * @param orchestraResult the engine's result, once the run ended
 */
public record TaskGraphResult(
        String workflowId,
        WorkflowType workflowType,
        Status status,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> completedAt,
        List<TaskStatus> tasks,
        Map<String, Object> metadata,
        Optional<OrchestraResult> orchestraResult) {

    public TaskGraphResult {
        requireNonNull(workflowId, "workflowId");
        requireNonNull(workflowType, "workflowType");
        requireNonNull(status, "status");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(completedAt, "completedAt");
        tasks = List.copyOf(tasks);
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        requireNonNull(orchestraResult, "orchestraResult");
    }

    /** The status of the task with {@code agentId}. */
    public Optional<TaskStatus> task(String agentId) {
        return tasks.stream().filter(t -> t.agentId().equals(agentId)).findFirst();
    }

    /** The wire shape of the run-graph {@code WorkflowStatus}. */
    public Map<String, Object> toWire() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workflow_id", workflowId);
        out.put("workflow_type", workflowType.wireName());
        out.put("status", status.wireName());
        out.put("created_at", createdAt.toString());
        out.put("started_at", startedAt.map(Instant::toString).orElse(null));
        out.put("completed_at", completedAt.map(Instant::toString).orElse(null));
        out.put("tasks", tasks.stream().map(TaskStatus::toWire).toList());
        out.put("metadata", metadata);
        return out;
    }

    /** {@link #toWire()} as JSON. */
    public String toJson() {
        return FlowJson.write(toWire());
    }

    /** The aggregate status of a run. */
    public enum Status {
        PENDING,
        RUNNING,
        COMPLETED,
        FAILED,
        PARTIAL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The seed's rule: all completed → completed; any failed → partial if any completed, else failed. */
        public static Status aggregate(List<TaskStatus> tasks) {
            boolean anyFailed = tasks.stream().anyMatch(t -> t.state() == TaskStatus.State.FAILED);
            boolean anyCompleted = tasks.stream().anyMatch(t -> t.state() == TaskStatus.State.COMPLETED);
            if (!tasks.isEmpty() && tasks.stream().allMatch(t -> t.state() == TaskStatus.State.COMPLETED)) {
                return COMPLETED;
            }
            if (anyFailed) {
                return anyCompleted ? PARTIAL : FAILED;
            }
            return tasks.stream().anyMatch(t -> t.state() != TaskStatus.State.PENDING) ? RUNNING : PENDING;
        }
    }
}
