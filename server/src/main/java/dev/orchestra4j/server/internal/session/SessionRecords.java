package dev.orchestra4j.server.internal.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.server.internal.http.Json;
import java.time.Instant;

/** The JSON shapes of a session's record and of its stored result. */
final class SessionRecords {

    static final String SESSIONS = "sessions";
    static final String RESULTS = "results";
    static final String RUNNING = "RUNNING";
    /** The node id of the server that runs (or last ran) the session: it recovers the session after a crash. */
    static final String OWNER = "owner";

    private SessionRecords() {}

    static ObjectNode created(String id, String topology, Object task, String owner, Instant now) {
        ObjectNode r = Json.object();
        r.put("session_id", id);
        r.put("topology", topology);
        r.put(OWNER, owner);
        r.set("task", Json.tree(task));
        r.put("status", RUNNING);
        r.put("created_at", now.toString());
        r.put("updated_at", now.toString());
        r.putArray("pending_questions");
        r.putNull("error");
        r.put("steps", 0);
        r.putArray("checkpoint_ids");
        return r;
    }

    /** The record after a leg ended with {@code result}. */
    static void finished(ObjectNode record, OrchestraResult result, Instant now) {
        record.put("status", result.status().name());
        record.put("updated_at", now.toString());
        record.put("steps", result.totalSteps());
        record.put("duration_ms", result.totalDuration().toMillis());
        record.set("error", Json.tree(result.error().orElse(null)));
        ArrayNode questions = record.putArray("pending_questions");
        for (UserQuestion q : result.pendingQuestions()) {
            questions.add(question(q));
        }
        record.set("checkpoint_ids", Json.tree(result.checkpointIds()));
        record.set("final_response", Json.tree(result.finalResponse()));
    }

    static ObjectNode question(UserQuestion q) {
        ObjectNode n = Json.object();
        n.put("interaction_id", q.interactionId());
        n.put("branch_id", q.branchId());
        n.put("agent", q.agent());
        n.put("question", q.question());
        n.put("kind", q.kind().name());
        n.set("options", Json.tree(q.options()));
        n.put("asked_at", q.askedAt().toString());
        return n;
    }

    static ObjectNode result(OrchestraResult result) {
        ObjectNode n = Json.object();
        n.put("result", result.toJson());
        n.put("trace", result.traceAsNdjson());
        n.put("mermaid", result.toMermaid());
        return n;
    }
}
