package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.UnreadableStateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Decodes a stored session into a {@link StoredSession} without a topology or agents: snapshot plus journal. */
public final class StoredStates {

    private StoredStates() {}

    /**
     * Reads the session: its snapshot with every journal event after it applied; empty when it is not stored. The
     * snapshot and the journal are two reads: when a leg writes a newer snapshot between them (and truncates the
     * journal, or journals steps on top of it), the events read may not follow the snapshot read, and both are read
     * again.
     */
    public static Optional<StoredSession> load(StateManager manager, String sessionId) {
        for (int attempt = 1; attempt <= 10; attempt++) {
            Optional<SessionSnapshot> snapshot = manager.loadSession(sessionId);
            if (snapshot.isEmpty()) {
                return Optional.empty();
            }
            List<JournalEvent> events =
                    manager.readEvents(sessionId, snapshot.get().journalSequence());
            boolean follows = events.isEmpty()
                    || events.getFirst().sequence() == snapshot.get().journalSequence() + 1;
            // a leg that takes the session on at rest writes a new snapshot at the same journal sequence: events
            // that follow the sequence may still be that leg's, made on top of a snapshot this read did not see. A
            // RUNNING snapshot is followed by its own leg's events (a new owner journals its claim first), and one
            // with no events after it is a state the session held: neither needs the snapshot read again.
            boolean ownEvents = events.isEmpty()
                    || Persistence.RUNNING.equals(snapshot.get().status());
            if (follows && (ownEvents || sameVersion(manager, sessionId, snapshot.get()))) {
                return Optional.of(decode(snapshot.get(), events));
            }
        }
        throw new StateException(
                "session '" + sessionId + "' was compacted 10 times while it was being read; read it again");
    }

    private static boolean sameVersion(StateManager manager, String sessionId, SessionSnapshot read) {
        return manager.loadSession(sessionId).map(SessionSnapshot::version).orElse(-1L) == read.version();
    }

    /** The snapshot with {@code events}, the journal after it, applied. */
    private static StoredSession decode(SessionSnapshot snapshot, List<JournalEvent> events) {
        String id = snapshot.sessionId();
        SessionState state;
        long last = snapshot.journalSequence();
        try {
            state = SnapshotCodec.decode(id, snapshot.payload());
            for (JournalEvent event : events) {
                JournalCodec.apply(id, state, event.sequence(), event.data());
                last = event.sequence();
            }
        } catch (StateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnreadableStateException(
                    "stored state of session '" + id + "' is corrupt: " + Stepping.describe(e), e);
        }
        List<UserQuestion> questions = new ArrayList<>();
        synchronized (state.questions) {
            state.questions.values().forEach(q -> questions.add(q.question()));
        }
        return new StoredSession(
                id, snapshot.status(), questions, state.finalResponses, snapshot.updatedAt(), snapshot.version(), last);
    }
}
