package dev.orchestra4j.flow.internal;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.flow.GraphTask;
import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.TaskGraphListener;
import dev.orchestra4j.flow.TaskGraphResult;
import dev.orchestra4j.flow.TaskStatus;
import dev.orchestra4j.flow.WorkflowType;
import dev.orchestra4j.topology.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The agents of a compiled task graph: one per task, plus the dispatcher that forks and collects. */
final class GraphNodes {

    static final String STATUS = "status";
    static final String RESULT = "result";
    static final String ERROR = "error";
    private static final String STOPPED = "graph#stopped";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphNodes.class);

    private final TaskGraph graph;
    private final RoleRegistry roles;
    private final TaskGraphListener listener;

    GraphNodes(TaskGraph graph, RoleRegistry roles, TaskGraphListener listener) {
        this.graph = graph;
        this.roles = roles;
        this.listener = listener;
    }

    private void tell(GraphTask task, Map<String, Object> entry, Instant started, boolean ran) {
        boolean running = entry.isEmpty();
        TaskStatus base = GraphResults.status(graph, task, running ? null : entry);
        TaskStatus status = new TaskStatus(
                base.taskId(),
                base.agentId(),
                base.agentRole(),
                running ? TaskStatus.State.RUNNING : base.state(),
                ran ? Optional.of(started) : Optional.empty(),
                running || base.state() == TaskStatus.State.PENDING ? Optional.empty() : Optional.of(Instant.now()),
                base.result(),
                base.error());
        try {
            listener.onTask(status);
        } catch (RuntimeException e) {
            LOG.warn("task graph listener failed on {} of '{}'", status.state(), task.agentId(), e);
        }
    }

    /** A task's node: runs the role agent (unless a dependency failed), records the outcome, hands on. */
    Agent task(GraphTask task, List<String> next, @Nullable String collector) {
        return request -> {
            FlowFrame frame = FlowFrame.of(graph.workflowId(), request.input());
            Instant started = Instant.now();
            Map<String, Object> entry = entry(task, frame, request, started);
            boolean ran =
                    entry.get(RESULT) != null || entry.get(ERROR) instanceof String e && !e.startsWith("dependency ");
            tell(task, entry, started, ran);
            FlowFrame out = frame.withOutput(task.agentId(), entry, frame.data());
            if (graph.workflowType() == WorkflowType.SEQUENTIAL
                    && TaskStatus.State.FAILED.wireName().equals(entry.get(STATUS))
                    && !task.continuesOnFailure()) {
                out = out.withCounter(STOPPED, 1);
            }
            if (collector != null) {
                return AgentResponse.handOff(collector, out);
            }
            if (next.isEmpty()) {
                return AgentResponse.finish(summary(out));
            }
            if (next.size() == 1) {
                return AgentResponse.handOff(next.getFirst(), out);
            }
            List<Invocation> fork = new ArrayList<>();
            for (String n : next) {
                fork.add(Invocation.of(n, out));
            }
            return AgentResponse.parallel(fork);
        };
    }

    private Map<String, Object> entry(GraphTask task, FlowFrame frame, AgentRequest request, Instant started)
            throws InterruptedException {
        if (frame.counter(STOPPED) > 0) {
            return entry(TaskStatus.State.PENDING, null, null);
        }
        Object context = context(task, frame);
        if (context instanceof String failedDependency) {
            return entry(TaskStatus.State.FAILED, null, "dependency " + failedDependency + " failed");
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("agent_id", task.agentId());
        input.put("agent_role", task.agentRole());
        input.put("input_data", task.inputData());
        input.put("context", context);
        tell(task, Map.of(), started, true);
        Agent agent = roles.find(task.agentRole())
                .orElseThrow(() -> new IllegalStateException("no agent for role '" + task.agentRole() + "'"));
        return switch (Requests.call(agent, Requests.withInput(request, input))) {
            case Requests.Answer.Value value -> entry(TaskStatus.State.COMPLETED, result(task, context, value), null);
            case Requests.Answer.Failure failure -> entry(TaskStatus.State.FAILED, null, failure.message());
        };
    }

    /** The task's context; a String names a failed dependency that stops it. */
    private @Nullable Object context(GraphTask task, FlowFrame frame) {
        return switch (graph.workflowType()) {
            case PARALLEL -> null;
            case SEQUENTIAL -> {
                int index = graph.tasks().indexOf(task);
                yield index == 0
                        ? null
                        : resultOf(frame, graph.tasks().get(index - 1).agentId());
            }
            case GRAPH -> {
                Map<String, Object> context = new LinkedHashMap<>();
                for (String dep : task.dependsOn()) {
                    Object depEntry = frame.outputs().get(dep);
                    boolean completed = depEntry instanceof Map<?, ?> m
                            && TaskStatus.State.COMPLETED.wireName().equals(m.get(STATUS));
                    if (!completed && !graph.runDependentsOnFailure()) {
                        yield dep;
                    }
                    context.put(dep, resultOf(frame, dep));
                }
                yield context;
            }
        };
    }

    private static @Nullable Object resultOf(FlowFrame frame, String taskId) {
        return frame.outputs().get(taskId) instanceof Map<?, ?> m ? m.get(RESULT) : null;
    }

    private static Map<String, Object> result(GraphTask task, @Nullable Object context, Requests.Answer.Value value) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("agent_id", task.agentId());
        result.put("agent_role", task.agentRole());
        result.put("input", task.inputData());
        result.put("context", context);
        result.put("output", FlowJson.plain(value.value()));
        return result;
    }

    private static Map<String, Object> entry(
            TaskStatus.State state, @Nullable Map<String, Object> result, @Nullable String error) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(STATUS, state.wireName());
        entry.put(RESULT, result);
        entry.put(ERROR, error);
        return entry;
    }

    /** The dispatcher: forks the first wave from Start; once they are back, delivers the summary to End. */
    Agent dispatcher(List<String> firstWave) {
        return request -> {
            if (request.arrivals().isEmpty()) {
                FlowFrame frame = FlowFrame.of(graph.workflowId(), request.input());
                List<Invocation> fork = new ArrayList<>();
                for (String task : firstWave) {
                    fork.add(Invocation.of(task, frame));
                }
                return AgentResponse.parallel(fork);
            }
            FlowFrame merged = FlowFrame.of(graph.workflowId(), request.input());
            return AgentResponse.handOff(Node.END, summary(merged));
        };
    }

    /** What a graph run delivers: the aggregate status and each task's entry, in request order. */
    private Map<String, Object> summary(FlowFrame frame) {
        Map<String, Object> tasks = new LinkedHashMap<>();
        List<TaskStatus> states = new ArrayList<>();
        for (GraphTask t : graph.tasks()) {
            Object entry = frame.outputs().get(t.agentId());
            tasks.put(t.agentId(), entry);
            states.add(GraphResults.status(graph, t, entry));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(STATUS, TaskGraphResult.Status.aggregate(states).wireName());
        out.put("tasks", tasks);
        return out;
    }
}
