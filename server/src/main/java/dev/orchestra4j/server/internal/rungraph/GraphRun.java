package dev.orchestra4j.server.internal.rungraph;

import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.flow.CompiledFlow;
import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.state.StateManager;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One workflow on the engine: its {@link TaskGraph} compiled to a topology and run as a session of its own {@link
 * OrchestraInstance} (session id = workflow id, journaled in the server's {@link StateManager}). Task transitions are
 * reported live through {@link TrackedRoles}; when the session ends the task graph's result is the final word. Every
 * transition goes through {@code changed} under one lock, so the record and the event stream agree on the order.
 */
final class GraphRun implements TrackedRoles.Listener {

    /** A transition: the task index, or -1 for the workflow itself. */
    record Transition(WorkflowState state, int task) {}

    /** What a run needs besides its graph. */
    record Setup(RoleRegistry roles, StateManager stateManager, OrchestraListener metrics, Clock clock) {}

    private final TaskGraph graph;
    private final WorkflowState state;
    private final Setup setup;
    private final Consumer<Transition> changed;
    private final Map<String, Integer> index = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final OrchestraInstance instance;
    private final Instant created;

    GraphRun(TaskGraph graph, WorkflowState state, Instant created, Setup setup, Consumer<Transition> changed) {
        this.graph = graph;
        this.state = state;
        this.created = created;
        this.setup = setup;
        this.changed = changed;
        for (int i = 0; i < graph.tasks().size(); i++) {
            index.put(graph.tasks().get(i).agentId(), i);
        }
        // the only compile of the graph: its problems (unknown roles among them) are the request's 400
        CompiledFlow flow = WorkflowParser.compile(graph, TrackedRoles.wrap(graph, setup.roles(), this));
        // not recorded for replay: the server serves recordings of registered topologies only, and a workflow's
        // topology is compiled per request (recording cost ~7% of the CPU per workflow under load, see BENCHMARKS.md)
        this.instance = flow.instanceBuilder()
                .stateManager(setup.stateManager())
                .record(false)
                .listener(setup.metrics())
                .clock(setup.clock())
                .build();
    }

    CompletableFuture<Void> start() {
        update(-1, () -> state.started(setup.clock().instant()));
        // started here, not on another thread: OrchestraInstance.start does not block, and a DELETE that arrives at
        // once must find the session to cancel it
        CompletableFuture<OrchestraResult> result;
        try {
            result = instance.start(graph.task(), Map.of("session_id", graph.workflowId()))
                    .result();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete(this::ended);
        return done;
    }

    /**
     * Continues the workflow's session from storage after this node's previous process stopped mid-run: from its last
     * journaled step when the engine had saved it, else (it stopped before the first save) from the start.
     */
    CompletableFuture<Void> recover() {
        String id = graph.workflowId();
        CompletableFuture<OrchestraResult> result;
        if (setup.stateManager().loadSession(id).isPresent()) {
            result = CompletableFuture.supplyAsync(
                    () -> instance.recoverSession(id, Map.of()),
                    command -> Thread.ofVirtual().name("recover-workflow-" + id).start(command));
        } else {
            return start();
        }
        result.whenComplete(this::ended);
        return done;
    }

    /** Cancels the session: running agents are interrupted, unfinished tasks end failed. */
    void cancel() {
        try {
            instance.cancelSession(graph.workflowId());
        } catch (RuntimeException e) {
            // already ended
        }
    }

    /** Releases a run that is never started (its workflow id was taken). */
    void close() {
        instance.close();
    }

    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void running(String agentId) {
        task(agentId, i -> state.taskRunning(i, setup.clock().instant()));
    }

    @Override
    public void completed(String agentId, Map<String, Object> result) {
        task(agentId, i -> state.taskCompleted(i, result, setup.clock().instant()));
    }

    @Override
    public void failed(String agentId, String error) {
        task(agentId, i -> state.taskFailed(i, error, setup.clock().instant()));
    }

    private void task(String agentId, Consumer<Integer> transition) {
        Integer i = index.get(agentId);
        if (i != null) {
            update(i, () -> transition.accept(i));
        }
    }

    private void ended(OrchestraResult result, Throwable failure) {
        try {
            lock.lock();
            try {
                List<Integer> changedTasks;
                if (result != null) {
                    changedTasks = state.settle(graph.result(result, created));
                } else {
                    state.abandoned(
                            "the workflow failed: " + failure.getMessage(),
                            setup.clock().instant());
                    changedTasks = List.of();
                }
                changedTasks.forEach(i -> changed.accept(new Transition(state, i)));
                changed.accept(new Transition(state, -1));
            } finally {
                lock.unlock();
            }
        } finally {
            instance.close();
            done.complete(null);
        }
    }

    private void update(int task, Runnable transition) {
        lock.lock();
        try {
            transition.run();
            changed.accept(new Transition(state, task));
        } finally {
            lock.unlock();
        }
    }
}
