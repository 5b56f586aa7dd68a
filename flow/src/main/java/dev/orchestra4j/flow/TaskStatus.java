package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where one task of a {@link TaskGraph} run stands (the run-graph {@code TaskStatus}).
 *
 * @param taskId {@code <workflow_id>-task-<index>}
 * @param agentId the task's id
 * @param agentRole the task's role
 * @param state pending, running, completed or failed
 * @param startedAt when its agent started
 * @param completedAt when it settled
 * @param result {@code {agent_id, agent_role, input, context, output}} once completed
 * @param error why it failed (its agent's error, or {@code dependency <id> failed})
 */
public record TaskStatus(
        String taskId,
        String agentId,
        String agentRole,
        State state,
        Optional<Instant> startedAt,
        Optional<Instant> completedAt,
        Optional<Map<String, Object>> result,
        Optional<String> error) {

    public TaskStatus {
        requireNonNull(taskId, "taskId");
        requireNonNull(agentId, "agentId");
        requireNonNull(agentRole, "agentRole");
        requireNonNull(state, "state");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(completedAt, "completedAt");
        requireNonNull(result, "result");
        requireNonNull(error, "error");
    }

    /** The wire shape: every key present, absent values as {@code null}, instants as ISO-8601 UTC. */
    public Map<String, Object> toWire() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task_id", taskId);
        out.put("agent_id", agentId);
        out.put("agent_role", agentRole);
        out.put("status", state.wireName());
        out.put("started_at", startedAt.map(Instant::toString).orElse(null));
        out.put("completed_at", completedAt.map(Instant::toString).orElse(null));
        out.put("result", result.orElse(null));
        out.put("error", error.orElse(null));
        return out;
    }

    /** A task's state. */
    public enum State {
        PENDING,
        RUNNING,
        COMPLETED,
        FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
