package dev.orchestra4j.server.internal.rungraph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.TaskGraphResult;
import dev.orchestra4j.server.internal.http.Json;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * AI Orchestra's {@code WorkflowStatus}/{@code TaskStatus} JSON for one workflow, and its transitions. Not
 * thread-safe: {@link WorkflowRun} owns it under a lock.
 */
final class WorkflowState {

    static final String PENDING = "pending";
    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
    static final String PARTIAL = "partial";
    static final String OWNER = "_owner";
    /** The request the workflow was submitted with (what a restarted server resumes it from). */
    static final String REQUEST = "_request";

    private final ObjectNode json;

    WorkflowState(ObjectNode json) {
        this.json = json;
    }

    static WorkflowState pending(TaskGraph graph, Instant now, String owner) {
        ObjectNode w = (ObjectNode) Json.tree(graph.pending(now).toWire());
        w.put(OWNER, owner);
        w.set(REQUEST, Json.tree(graph.toMap()));
        return new WorkflowState(w);
    }

    /** Takes the task graph's final word on every task and the workflow; returns the tasks that changed. */
    java.util.List<Integer> settle(TaskGraphResult result) {
        ObjectNode wire = (ObjectNode) Json.tree(result.toWire());
        java.util.List<Integer> changed = new java.util.ArrayList<>();
        for (int i = 0; i < taskCount(); i++) {
            ObjectNode fresh = (ObjectNode) wire.path("tasks").get(i);
            boolean same = fresh.path("status").equals(task(i).path("status"));
            if (!same) {
                changed.add(i);
            }
            // the times seen live (and already sent as events) stand; a result recorded before a restart is kept
            keepRecorded(fresh, i, "started_at");
            if (fresh.path("result").isNull()) {
                keepRecorded(fresh, i, "result");
            }
            if (same) {
                keepRecorded(fresh, i, "completed_at");
            }
            ((com.fasterxml.jackson.databind.node.ArrayNode) json.path("tasks")).set(i, fresh);
        }
        for (String field : java.util.List.of("status", "started_at", "completed_at")) {
            if (!(field.equals("started_at") && !json.path(field).isNull())) {
                json.set(field, wire.path(field));
            }
        }
        return changed;
    }

    private void keepRecorded(ObjectNode fresh, int i, String field) {
        if (!task(i).path(field).isNull()) {
            fresh.set(field, task(i).path(field));
        }
    }

    ObjectNode json() {
        return json;
    }

    String id() {
        return json.path("workflow_id").asText();
    }

    String status() {
        return json.path("status").asText();
    }

    ObjectNode task(int i) {
        return (ObjectNode) json.path("tasks").get(i);
    }

    int taskCount() {
        return json.path("tasks").size();
    }

    void started(Instant now) {
        json.put("status", RUNNING);
        json.put("started_at", now.toString());
    }

    void taskRunning(int i, Instant now) {
        ObjectNode t = task(i);
        t.put("status", RUNNING);
        t.put("started_at", now.toString());
    }

    void taskCompleted(int i, Object result, Instant now) {
        ObjectNode t = task(i);
        t.put("status", COMPLETED);
        t.put("completed_at", now.toString());
        t.set("result", Json.tree(result));
    }

    void taskFailed(int i, String error, Instant now) {
        ObjectNode t = task(i);
        t.put("status", FAILED);
        if (t.path("started_at").isNull()) {
            t.put("started_at", now.toString());
        }
        t.put("completed_at", now.toString());
        t.put("error", error);
    }

    /** The seed's aggregate: all completed → completed; any failed → partial if any completed, else failed. */
    void finished(Instant now) {
        aggregate(now);
    }

    private void aggregate(Instant now) {
        int completed = 0;
        int failed = 0;
        for (int i = 0; i < taskCount(); i++) {
            switch (task(i).path("status").asText()) {
                case COMPLETED -> completed++;
                case FAILED -> failed++;
                default -> {}
            }
        }
        String status = failed == 0 && completed == taskCount() ? COMPLETED : completed > 0 ? PARTIAL : FAILED;
        json.put("status", status);
        json.put("completed_at", now.toString());
    }

    /** A workflow that can no longer run (cancelled, or its server stopped): unfinished tasks fail with a reason. */
    void abandoned(String reason, Instant now) {
        for (int i = 0; i < taskCount(); i++) {
            String s = task(i).path("status").asText();
            if (s.equals(RUNNING) || s.equals(PENDING)) {
                taskFailed(i, reason, now);
            }
        }
        if (json.path("started_at").isNull()) {
            json.put("started_at", now.toString());
        }
        finished(now);
    }

    boolean isActive() {
        return status().equals(PENDING) || status().equals(RUNNING);
    }

    /**
     * The wire form: the stored record without internal fields. A shallow copy (it shares the tasks with {@code
     * stored}): serialise it before {@code stored} changes again, or copy it.
     */
    static ObjectNode wire(ObjectNode stored) {
        ObjectNode copy = stored.objectNode();
        copy.setAll(stored);
        copy.remove(OWNER);
        copy.remove(REQUEST);
        return copy;
    }

    void forEachTask(Consumer<ObjectNode> action) {
        json.path("tasks").forEach(t -> action.accept((ObjectNode) t));
    }
}
