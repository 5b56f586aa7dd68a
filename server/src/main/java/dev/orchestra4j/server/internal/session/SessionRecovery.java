package dev.orchestra4j.server.internal.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.state.StateManager;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What a restarted server does with a session whose record a previous process of the same node left {@code RUNNING}
 * (a crash, a {@code kill -9}). The engine's storage decides, since the record is written after it and may lag:
 *
 * <ul>
 *   <li>stored {@code RUNNING}: {@link OrchestraInstance#recoverSession}, off the start-up thread. It first checks the
 *       session's lease: when the session was written within the last {@link StateManager#leaseTimeout()}, it watches it
 *       that long, and a session some other live process still writes stays with that process (its record is left to
 *       it). A step that was in flight runs again; committed steps do not.
 *   <li>stored {@code CREATED}: started.
 *   <li>stored {@code PAUSED} or {@code WAITING_FOR_USER}: the record takes that status and the pending questions, so the
 *       session can be resumed or answered.
 *   <li>stored as ended: the record takes that status (the result itself was not stored before the crash).
 *   <li>not stored (the process died before the first save), unreadable, or of a topology no longer registered: the
 *       record ends {@code FAILED}, naming the session and the reason.
 * </ul>
 */
final class SessionRecovery {

    /** Thrown by a recovery that found the session alive in another process: its record is left to that process. */
    static final class OwnedElsewhere extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OwnedElsewhere(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final StateManager stateManager;

    SessionRecovery(StateManager stateManager) {
        this.stateManager = stateManager;
    }

    /** Deals with one RUNNING record; true when the session runs again in this process. */
    boolean recover(ObjectNode record, @Nullable OrchestraInstance instance, Sessions sessions) {
        String id = record.path("session_id").asText();
        if (instance == null) {
            fail(record, "its topology '" + record.path("topology").asText() + "' is not registered", sessions);
            return false;
        }
        Optional<StoredSession> stored;
        try {
            stored = StoredSession.load(stateManager, id);
        } catch (RuntimeException e) {
            fail(record, "its stored state cannot be read: " + e.getMessage(), sessions);
            return false;
        }
        if (stored.isEmpty()) {
            fail(record, "the server stopped before the session's first step was stored", sessions);
            return false;
        }
        StoredSession seen = stored.get();
        switch (seen.status()) {
            case StoredSession.RUNNING ->
                sessions.track(id, () -> CompletableFuture.completedFuture(take(instance, seen)));
            case StoredSession.CREATED ->
                sessions.track(id, () -> CompletableFuture.completedFuture(instance.resumeSession(id, Map.of())));
            default -> {
                settle(record, seen, sessions);
                return false;
            }
        }
        return true;
    }

    private OrchestraResult take(OrchestraInstance instance, StoredSession seen) {
        String id = seen.sessionId();
        try {
            return instance.recoverSession(id, Map.of());
        } catch (SessionException e) {
            instance.release(id); // its copy in this instance is stale now
            if (writtenSince(seen)) {
                throw new OwnedElsewhere(e.getMessage(), e);
            }
            throw new SessionException(
                    "session '" + id + "' was interrupted by a server restart and could not be recovered: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Whether another process wrote the session after {@code seen} was read (it is alive there). */
    private boolean writtenSince(StoredSession seen) {
        return StoredSession.load(stateManager, seen.sessionId())
                .map(now -> now.version() != seen.version() || now.journalSequence() != seen.journalSequence())
                .orElse(false);
    }

    /** The record catches up with a session that stopped (suspended or ended) before its record was written. */
    private static void settle(ObjectNode record, StoredSession stored, Sessions sessions) {
        record.put("status", stored.status());
        ArrayNode questions = record.putArray("pending_questions");
        for (UserQuestion q : stored.pendingQuestions()) {
            questions.add(SessionRecords.question(q));
        }
        if (!stored.finalResponses().isEmpty()) {
            record.set("final_response", Json.tree(stored.finalResponses().getLast()));
        }
        if (!stored.status().equals("PAUSED") && !stored.status().equals("WAITING_FOR_USER")) {
            record.put("last_error", "the server stopped before it stored this session's result");
        }
        sessions.save(record);
    }

    private static void fail(ObjectNode record, String reason, Sessions sessions) {
        String message = "session '" + record.path("session_id").asText()
                + "' was interrupted by a server restart and could not be recovered: " + reason;
        record.put("status", "FAILED");
        record.put("error", message);
        record.put("last_error", message);
        record.putArray("pending_questions");
        sessions.save(record);
    }
}
