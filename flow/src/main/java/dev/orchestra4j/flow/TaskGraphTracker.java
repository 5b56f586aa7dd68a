package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.flow.internal.GraphResults;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The live status of one task graph run: a {@link TaskGraphListener} that keeps each task's latest status, so a
 * server can answer "where does it stand" while the run goes on. Thread-safe.
 */
public final class TaskGraphTracker implements TaskGraphListener {

    private final TaskGraph graph;
    private final Instant createdAt;
    private final ConcurrentMap<String, TaskStatus> latest = new ConcurrentHashMap<>();
    private volatile Optional<Instant> startedAt = Optional.empty();

    public TaskGraphTracker(TaskGraph graph, Instant createdAt) {
        this.graph = requireNonNull(graph, "graph");
        this.createdAt = requireNonNull(createdAt, "createdAt");
    }

    @Override
    public void onTask(TaskStatus status) {
        if (startedAt.isEmpty()) {
            startedAt = status.startedAt().or(status::completedAt);
        }
        latest.put(status.agentId(), status);
    }

    /**
     * Every task as it stands now (pending until its agent starts), with the aggregate so far: running until every
     * task settled (a task a sequential run skipped settles as pending), then completed, partial or failed.
     */
    public TaskGraphResult snapshot() {
        TaskGraphResult pending = GraphResults.pending(graph, createdAt);
        List<TaskStatus> tasks = new ArrayList<>();
        for (TaskStatus t : pending.tasks()) {
            tasks.add(latest.getOrDefault(t.agentId(), t));
        }
        TaskGraphResult.Status aggregate = TaskGraphResult.Status.aggregate(tasks);
        boolean allSettled =
                tasks.stream().allMatch(t -> latest.containsKey(t.agentId()) && t.state() != TaskStatus.State.RUNNING);
        if (!allSettled && aggregate != TaskGraphResult.Status.PENDING) {
            aggregate = TaskGraphResult.Status.RUNNING;
        }
        return new TaskGraphResult(
                graph.workflowId(),
                graph.workflowType(),
                aggregate,
                createdAt,
                startedAt,
                Optional.empty(),
                tasks,
                graph.metadata(),
                Optional.empty());
    }
}
