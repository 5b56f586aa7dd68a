package dev.orchestra4j.flow.internal;

import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.flow.GraphTask;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.TaskGraphResult;
import dev.orchestra4j.flow.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Builds a {@link TaskGraphResult} from the engine's result: outcomes from the frames, times from the trace. */
public final class GraphResults {

    private GraphResults() {}

    public static TaskGraphResult pending(TaskGraph graph, Instant createdAt) {
        List<TaskStatus> tasks = new ArrayList<>();
        for (GraphTask t : graph.tasks()) {
            tasks.add(status(graph, t, null));
        }
        return new TaskGraphResult(
                graph.workflowId(),
                graph.workflowType(),
                TaskGraphResult.Status.PENDING,
                createdAt,
                Optional.empty(),
                Optional.empty(),
                tasks,
                graph.metadata(),
                Optional.empty());
    }

    public static TaskGraphResult of(TaskGraph graph, OrchestraResult result, Instant createdAt) {
        Map<String, Object> entries = entries(graph, result);
        boolean ended = result.status() != RunStatus.PAUSED && result.status() != RunStatus.WAITING_FOR_USER;
        List<TaskStatus> tasks = new ArrayList<>();
        for (GraphTask t : graph.tasks()) {
            Object entry = entries.get(t.agentId());
            if (entry == null && ended) {
                entry = notRun(result);
            }
            TaskStatus status = status(graph, t, entry);
            tasks.add(timed(status, result.executionTrace()));
        }
        Instant started = result.executionTrace().stream()
                .map(TraceStep::start)
                .min(Instant::compareTo)
                .orElse(createdAt);
        TaskGraphResult.Status aggregate = TaskGraphResult.Status.aggregate(tasks);
        if (!ended) {
            aggregate = TaskGraphResult.Status.RUNNING;
        }
        return new TaskGraphResult(
                graph.workflowId(),
                graph.workflowType(),
                aggregate,
                createdAt,
                Optional.of(started),
                ended ? Optional.of(started.plus(result.totalDuration())) : Optional.empty(),
                tasks,
                graph.metadata(),
                Optional.of(result));
    }

    private static Map<String, Object> notRun(OrchestraResult result) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(GraphNodes.STATUS, TaskStatus.State.FAILED.wireName());
        entry.put(GraphNodes.RESULT, null);
        entry.put(
                GraphNodes.ERROR,
                "not run: the run ended " + result.status()
                        + result.error().map(e -> ": " + e).orElse(""));
        return entry;
    }

    /** Each task's entry: from the summary delivered to End, else from the frames the trace saw. */
    private static Map<String, Object> entries(TaskGraph graph, OrchestraResult result) {
        if (result.finalResponse() instanceof Map<?, ?> summary && summary.get("tasks") instanceof Map<?, ?> tasks) {
            Map<String, Object> out = new LinkedHashMap<>();
            tasks.forEach((k, v) -> {
                if (v != null) {
                    out.put(String.valueOf(k), v);
                }
            });
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (TraceStep step : result.executionTrace()) {
            for (Object value : payloads(step.output())) {
                out.putAll(FlowFrame.of(graph.workflowId(), value).outputs());
            }
        }
        return out;
    }

    private static List<Object> payloads(@Nullable Object output) {
        if (output instanceof FlowFrame || output instanceof Map<?, ?> m && m.containsKey(FlowFrame.TAG)) {
            return List.of(output);
        }
        if (output instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof Invocation invocation) {
                    out.addAll(payloads(invocation.request()));
                } else if (item instanceof Map<?, ?> m && m.get("request") != null) {
                    out.addAll(payloads(m.get("request")));
                }
            }
            return out;
        }
        return List.of();
    }

    static TaskStatus status(TaskGraph graph, GraphTask task, @Nullable Object entry) {
        String taskId = graph.workflowId() + "-task-" + graph.tasks().indexOf(task);
        TaskStatus.State state = TaskStatus.State.PENDING;
        Map<String, Object> result = null;
        String error = null;
        if (entry instanceof Map<?, ?> m) {
            state = TaskStatus.State.valueOf(
                    String.valueOf(m.get(GraphNodes.STATUS)).toUpperCase(java.util.Locale.ROOT));
            if (m.get(GraphNodes.RESULT) instanceof Map<?, ?> r) {
                result = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : r.entrySet()) {
                    result.put(String.valueOf(e.getKey()), e.getValue());
                }
            }
            error = m.get(GraphNodes.ERROR) == null ? null : String.valueOf(m.get(GraphNodes.ERROR));
        }
        return new TaskStatus(
                taskId,
                task.agentId(),
                task.agentRole(),
                state,
                Optional.empty(),
                Optional.empty(),
                Optional.ofNullable(result),
                Optional.ofNullable(error));
    }

    private static TaskStatus timed(TaskStatus status, List<TraceStep> trace) {
        if (status.state() == TaskStatus.State.PENDING) {
            return status;
        }
        Instant first = null;
        Instant last = null;
        for (TraceStep step : trace) {
            if (step.agent().equals(status.agentId())) {
                first = first == null ? step.start() : first;
                last = step.start().plus(step.duration());
            }
        }
        boolean ran = status.result().isPresent()
                || status.error().filter(e -> !e.startsWith("dependency ")).isPresent();
        return new TaskStatus(
                status.taskId(),
                status.agentId(),
                status.agentRole(),
                status.state(),
                ran ? Optional.ofNullable(first) : Optional.empty(),
                Optional.ofNullable(last),
                status.result(),
                status.error());
    }
}
