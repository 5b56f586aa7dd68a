package dev.orchestra4j.server.internal.rungraph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.server.internal.events.EventHub;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.server.internal.store.RecordStore;
import dev.orchestra4j.state.StateManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run-graph workflows: accepted after validation, executed off the request thread, stored durably at every
 * transition ({@code server/workflows/<id>}) and streamed as {@code task} and {@code workflow} events.
 */
public final class Workflows implements AutoCloseable {

    static final String KIND = "workflows";
    private static final Logger LOG = LoggerFactory.getLogger(Workflows.class);

    private final RecordStore store;
    private final EventHub hub;
    private final GraphRun.Setup setup;
    private final Clock clock;
    private final String owner;
    private final Map<String, GraphRun> live = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> deletions = new ConcurrentHashMap<>();
    private final ReentrantLock writes = new ReentrantLock();

    public Workflows(
            RecordStore store,
            EventHub hub,
            RoleRegistry roles,
            StateManager stateManager,
            OrchestraListener metrics,
            Clock clock,
            String owner) {
        this.store = store;
        this.hub = hub;
        this.setup = new GraphRun.Setup(roles, stateManager, metrics, clock);
        this.clock = clock;
        this.owner = owner;
    }

    /** Validates, stores (pending) and starts a workflow; returns its pending status. */
    public ObjectNode submit(ObjectNode body) {
        TaskGraph graph = WorkflowParser.parse(body);
        String id = graph.workflowId();
        Instant created = clock.instant();
        WorkflowState state = WorkflowState.pending(graph, created, owner);
        Launch launch = prepare(graph, state, created); // compiles the graph: 400 listing its problems
        if (!store.create(KIND, id, state.json())) {
            launch.run().close();
            throw ApiException.conflict("Workflow " + id + " already exists");
        }
        ObjectNode accepted = WorkflowState.wire(state.json()).deepCopy(); // the run changes the tasks at once
        publish(state, -1);
        launch.go(false);
        return accepted;
    }

    /** A compiled workflow not yet started, and how to start it. */
    private record Launch(GraphRun run, Runnable register) {
        void go(boolean recover) {
            register.run();
            if (recover) {
                run.recover();
            } else {
                run.start();
            }
        }
    }

    /** Compiles a workflow for the engine: a new one, or one that a stopped process of this node left unfinished. */
    private Launch prepare(TaskGraph graph, WorkflowState state, Instant created) {
        String id = graph.workflowId();
        AtomicBoolean deleted = new AtomicBoolean();
        GraphRun run = new GraphRun(graph, state, created, setup, t -> {
            writes.lock();
            try {
                if (deleted.get()) {
                    return; // a transition racing a DELETE must not bring the record back
                }
                store.put(KIND, id, t.state().json());
            } finally {
                writes.unlock();
            }
            publish(t.state(), t.task());
        });
        return new Launch(run, () -> {
            live.put(id, run);
            deletions.put(id, deleted);
            run.done().whenComplete((ok, failure) -> {
                live.remove(id, run);
                deletions.remove(id, deleted);
            });
        });
    }

    public ObjectNode status(String id) {
        return WorkflowState.wire(stored(id));
    }

    /** Newest first; {@code status} must be one of the seed's values. */
    public List<ObjectNode> list(Optional<String> status, int limit) {
        return store.all(KIND).stream()
                .filter(w ->
                        status.isEmpty() || status.get().equals(w.path("status").asText()))
                .sorted((a, b) -> b.path("created_at")
                        .asText()
                        .compareTo(a.path("created_at").asText()))
                .limit(limit)
                .map(WorkflowState::wire)
                .toList();
    }

    /** Cancels a running workflow (its agents see an interrupt), then deletes it. */
    public void delete(String id) {
        stored(id);
        GraphRun run = live.get(id);
        AtomicBoolean deleted = deletions.get(id);
        if (deleted != null) {
            deleted.set(true);
        }
        if (run != null) {
            run.cancel();
            try {
                run.done().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("workflow {} did not stop within 10 s of its cancellation", id);
            }
        }
        writes.lock();
        try {
            store.delete(KIND, id);
        } finally {
            writes.unlock();
        }
        hub.publish(stream(id), "deleted", Json.write(Json.of("workflow_id", id)));
        hub.forget(stream(id));
    }

    /** Workflows running or pending in this server. */
    public int active() {
        return live.size();
    }

    /**
     * Resumes the workflows this node left unfinished (a crash, a kill): each continues from its last journaled step
     * (a task that was running then runs again, finished tasks do not). A record that cannot be resumed (its request
     * is unreadable) is marked failed with the reason, so none stays "running".
     *
     * @return how many workflows were resumed
     */
    public int recover() {
        int resumed = 0;
        for (ObjectNode w : store.all(KIND)) {
            WorkflowState state = new WorkflowState(w);
            if (!state.isActive() || !owner.equals(w.path(WorkflowState.OWNER).asText())) {
                continue;
            }
            TaskGraph graph;
            Instant created;
            try {
                graph = TaskGraph.fromJson(Json.write(w.path(WorkflowState.REQUEST)));
                created = Instant.parse(w.path("created_at").asText());
            } catch (RuntimeException e) {
                LOG.warn("workflow {} cannot be resumed: {}", state.id(), e.getMessage());
                state.abandoned(
                        "the server stopped and the workflow could not be resumed: " + e.getMessage(), clock.instant());
                store.put(KIND, state.id(), w);
                publish(state, -1);
                continue;
            }
            prepare(graph, state, created).go(true);
            resumed++;
        }
        return resumed;
    }

    /** Lets running workflows finish for up to {@code timeout}, then cancels the rest (their records end failed). */
    public void drain(Duration timeout) {
        CompletableFuture<?>[] all = live.values().stream().map(GraphRun::done).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            live.values().forEach(GraphRun::cancel);
            CompletableFuture.allOf(all)
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(x -> null)
                    .join();
        }
    }

    public static String stream(String workflowId) {
        return "workflow:" + workflowId;
    }

    private ObjectNode stored(String id) {
        return store.get(KIND, id).orElseThrow(() -> ApiException.notFound("Workflow " + id + " not found"));
    }

    private void publish(WorkflowState state, int task) {
        if (task >= 0) {
            hub.publish(stream(state.id()), "task", Json.write(state.task(task)));
            return;
        }
        ObjectNode wire = WorkflowState.wire(state.json());
        String data = Json.write(wire);
        hub.publish(stream(state.id()), "workflow", data);
        ObjectNode summary = Json.object();
        summary.put("workflow_id", state.id());
        summary.put("workflow_type", wire.path("workflow_type").asText());
        summary.put("status", state.status());
        summary.put("created_at", wire.path("created_at").asText());
        hub.publish(EventHub.SERVER, "workflow", Json.write(summary));
    }

    @Override
    public void close() {
        live.values().forEach(GraphRun::cancel);
    }
}
