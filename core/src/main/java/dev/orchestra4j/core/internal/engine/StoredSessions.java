package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import java.util.OptionalInt;

/**
 * Reading a session back from storage: its latest snapshot plus every journal event after it, replayed in order
 * (recovery), and the options a snapshot keeps for the facade. Corrupt input is a {@link StateException} naming the
 * session, never a raw JDK exception (D21).
 */
final class StoredSessions {

    private StoredSessions() {}

    /** A session's state as storage holds it, and the last journal sequence replayed into it. */
    record Loaded(SessionState state, long lastSequence) {}

    static Loaded load(SessionSpec spec, SessionSnapshot snapshot) {
        if (!snapshot.topologyDigest().equals(spec.topology().digest())) {
            throw new SessionException("session '" + snapshot.sessionId()
                    + "' was saved with topology digest " + snapshot.topologyDigest()
                    + " but this instance runs topology digest "
                    + spec.topology().digest());
        }
        long last = snapshot.journalSequence();
        try {
            SessionState state = SnapshotCodec.decode(snapshot.sessionId(), snapshot.payload());
            if (spec.stateManager().isPresent()) {
                for (JournalEvent event :
                        spec.stateManager().get().readEvents(snapshot.sessionId(), snapshot.journalSequence())) {
                    JournalDelta.apply(snapshot.sessionId(), state, event.sequence(), event.data());
                    last = event.sequence();
                }
            }
            return new Loaded(state, last);
        } catch (StateException e) {
            throw e;
        } catch (RuntimeException e) { // a bad date, a wrong type, a missing value
            throw new StateException(
                    "stored state of session '" + snapshot.sessionId() + "' is corrupt: " + StepRunner.describe(e), e);
        }
    }

    /** The envelope of {@code session}'s state with {@code status}; the journal sequence is stamped by the writer. */
    static SessionSnapshot envelope(Session session, String status, JsonNode payload) {
        SessionSpec spec = session.spec();
        return new SessionSnapshot(
                SessionSnapshot.CURRENT_SCHEMA_VERSION,
                spec.sessionId(),
                session.storedVersion,
                status,
                session.state().startedAt,
                spec.clock().instant(),
                spec.topology().toJson(),
                spec.topology().digest(),
                payload);
    }

    /** The {@code maxSteps} a stored session was started with (D15), if its snapshot says. */
    static OptionalInt maxSteps(SessionSnapshot snapshot) {
        JsonNode n = snapshot.payload().path("maxSteps");
        return n.isInt() && n.asInt() > 0 ? OptionalInt.of(n.asInt()) : OptionalInt.empty();
    }

    /** The task a stored session was started with. */
    static Object task(SessionSnapshot snapshot) {
        Object task = SnapshotValues.decode(snapshot.payload().path("task"));
        if (task == null) {
            throw new StateException("snapshot of session '" + snapshot.sessionId() + "' is missing field 'task'");
        }
        return task;
    }
}
