package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.flow.internal.FlowJson;
import dev.orchestra4j.flow.internal.GraphCompiler;
import dev.orchestra4j.flow.internal.GraphResults;
import dev.orchestra4j.flow.internal.GraphValidation;
import dev.orchestra4j.flow.internal.RunGraphRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Tasks with {@code depends_on}, run sequentially, in parallel or as a dependency graph (the run-graph request of AI
 * Orchestra). Immutable. {@link #validate()} lists every problem (no tasks, duplicate ids, unknown dependencies, a
 * cycle named by its members) before anything runs; {@link #compile} turns the graph into a topology in which a task
 * with two or more dependencies is a rendezvous, and a task whose dependency failed is marked failed with the reason
 * instead of running.
 */
public final class TaskGraph {

    private final String workflowId;
    private final WorkflowType workflowType;
    private final List<GraphTask> tasks;
    private final Map<String, Object> metadata;
    private final boolean runDependentsOnFailure;

    private TaskGraph(Builder b) {
        this.workflowId = b.workflowId == null ? UUID.randomUUID().toString() : b.workflowId;
        this.workflowType = b.workflowType;
        this.tasks = List.copyOf(b.tasks);
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.runDependentsOnFailure = b.runDependentsOnFailure;
    }

    public static Builder builder(WorkflowType type) {
        return new Builder(type);
    }

    /**
     * Reads a run-graph request body: {@code workflow_id} (optional, a UUID when absent), {@code workflow_type},
     * {@code tasks} ({@code agent_id}, {@code agent_role}, {@code input_data}, {@code depends_on}), {@code metadata}.
     *
     * @throws FlowException listing every missing or malformed field, each with its location ({@code tasks[1].agent_id})
     */
    public static TaskGraph fromJson(String json) {
        return RunGraphRequest.read(json);
    }

    /** Reads a run-graph request already parsed into a map; see {@link #fromJson}. */
    public static TaskGraph fromMap(Map<String, ?> body) {
        return RunGraphRequest.read(body);
    }

    public String workflowId() {
        return workflowId;
    }

    public WorkflowType workflowType() {
        return workflowType;
    }

    public List<GraphTask> tasks() {
        return tasks;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Whether dependants of a failed task still run (with a null result for it), as the seed does. Off by default. */
    public boolean runDependentsOnFailure() {
        return runDependentsOnFailure;
    }

    /** Every problem that would stop this graph from running; empty when it is valid. */
    public List<String> validate() {
        return GraphValidation.problems(this);
    }

    /**
     * Compiles the graph against {@code roles}.
     *
     * @throws FlowException listing every problem of {@link #validate()} plus roles that resolve to no agent
     */
    public CompiledFlow compile(RoleRegistry roles) {
        return compile(roles, TaskGraphListener.none());
    }

    /** Compiles with a listener that hears every task transition as it happens (see {@link TaskGraphTracker}). */
    public CompiledFlow compile(RoleRegistry roles, TaskGraphListener listener) {
        requireNonNull(roles, "roles");
        requireNonNull(listener, "listener");
        List<String> problems = new ArrayList<>(validate());
        for (int i = 0; i < tasks.size(); i++) {
            GraphTask task = tasks.get(i);
            if (!roles.resolves(task.agentRole())) {
                problems.add("tasks[" + i + "] ('" + task.agentId() + "'): no agent for agent_role '" + task.agentRole()
                        + "' (registered roles: " + roles.roles() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new FlowException("task graph '" + workflowId + "' is not valid", problems);
        }
        return GraphCompiler.compile(this, roles, listener);
    }

    /** Runs the graph to the end; the session id is the workflow id. */
    public TaskGraphResult run(RoleRegistry roles) {
        return run(roles, UnaryOperator.identity());
    }

    /** Runs the graph with options added (listeners, storage, configs). */
    public TaskGraphResult run(RoleRegistry roles, UnaryOperator<RunOptions.Builder> options) {
        Instant created = Instant.now();
        CompiledFlow flow = compile(roles);
        OrchestraResult result = flow.run(task(), b -> options.apply(b.context(Map.of("session_id", workflowId))));
        return result(result, created);
    }

    /** The task a compiled graph runs with (any String or Map works; this one names the workflow). */
    public Map<String, Object> task() {
        return Map.of("workflow_id", workflowId, "workflow_type", workflowType.wireName());
    }

    /** Every task pending: what the run-graph API answers when it accepts a request. */
    public TaskGraphResult pending(Instant createdAt) {
        return GraphResults.pending(this, createdAt);
    }

    /** The run's status from the engine's result of this graph's compiled flow. */
    public TaskGraphResult result(OrchestraResult result, Instant createdAt) {
        return GraphResults.of(this, result, createdAt);
    }

    /** The request body this graph reads from ({@link #fromJson} of it gives an equal graph). */
    public Map<String, Object> toMap() {
        return RunGraphRequest.write(this);
    }

    public String toJson() {
        return FlowJson.write(toMap());
    }

    /** Builds a {@link TaskGraph}; validation happens in {@link TaskGraph#validate()} so all problems show at once. */
    public static final class Builder {
        private @org.jspecify.annotations.Nullable String workflowId;
        private final WorkflowType workflowType;
        private final List<GraphTask> tasks = new ArrayList<>();
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private boolean runDependentsOnFailure;

        private Builder(WorkflowType type) {
            this.workflowType = requireNonNull(type, "workflowType");
        }

        public Builder workflowId(String value) {
            workflowId = requireNonNull(value, "workflowId");
            return this;
        }

        public Builder task(GraphTask value) {
            tasks.add(requireNonNull(value, "task"));
            return this;
        }

        public Builder task(String agentId, String agentRole, Map<String, ?> inputData, String... dependsOn) {
            return task(GraphTask.of(agentId, agentRole, inputData, dependsOn));
        }

        public Builder metadata(String key, Object value) {
            metadata.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        public Builder metadata(Map<String, ?> values) {
            values.forEach(this::metadata);
            return this;
        }

        public Builder runDependentsOnFailure(boolean value) {
            runDependentsOnFailure = value;
            return this;
        }

        public TaskGraph build() {
            return new TaskGraph(this);
        }
    }
}
