package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import java.util.ArrayList;
import java.util.List;

/** Decodes a stored session into a {@link StoredSession} without a topology or agents: snapshot plus journal. */
public final class StoredStates {

    private StoredStates() {}

    /** The snapshot with every journal event after it applied. */
    public static StoredSession decode(StateManager manager, SessionSnapshot snapshot) {
        String id = snapshot.sessionId();
        SessionState state;
        long last = snapshot.journalSequence();
        try {
            state = SnapshotCodec.decode(id, snapshot.payload());
            for (JournalEvent event : manager.readEvents(id, snapshot.journalSequence())) {
                JournalDelta.apply(id, state, event.sequence(), event.data());
                last = event.sequence();
            }
        } catch (StateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateException("stored state of session '" + id + "' is corrupt: " + StepRunner.describe(e), e);
        }
        List<UserQuestion> questions = new ArrayList<>();
        synchronized (state.questions) {
            state.questions.values().forEach(q -> questions.add(q.question()));
        }
        return new StoredSession(
                id, snapshot.status(), questions, state.finalResponses, snapshot.updatedAt(), snapshot.version(), last);
    }
}
