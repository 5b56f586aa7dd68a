package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.SaveResult;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import java.time.Duration;
import java.util.Optional;

/**
 * Writes the session to its {@link StateManager}: after every completed step (or per {@code autoSaveInterval}), and
 * whenever a leg stops. Versions make a stale writer fail instead of overwriting a newer state: a process that lost
 * its session to another one stops at its next save.
 */
final class Persistence {

    static final String RUNNING = "RUNNING";

    private final Session session;
    private final Optional<StateManager> manager;
    private long lastSaveMillis;
    private boolean dirty;
    private boolean lost;

    Persistence(Session session, Optional<StateManager> manager) {
        this.session = session;
        this.manager = manager;
    }

    /** A step completed; the state will be saved before the next step is dispatched. */
    void stepCompleted() {
        dirty = manager.isPresent();
    }

    /** Saves if a step completed since the last save and the auto-save interval allows it. */
    void maybeSave(Coordinator c) {
        if (!dirty) {
            return;
        }
        Duration interval = manager.orElseThrow().autoSaveInterval();
        if (interval.isZero() || c.nowMillis() - lastSaveMillis >= interval.toMillis()) {
            save(c, RUNNING);
        }
    }

    /** Saves now with {@code status}; a lost race stops the leg with a clear error. */
    void save(Coordinator c, String status) {
        if (manager.isEmpty() || lost) {
            return;
        }
        try {
            SaveResult result = manager.get().save(snapshot(c.state, status, c));
            session.storedVersion = result.version();
            lastSaveMillis = c.nowMillis();
            dirty = false;
            c.telemetry.emit(() -> new OrchestraEvent.CheckpointSaved(
                    c.spec.sessionId(),
                    c.now(),
                    null,
                    manager.get().backendName(),
                    result.bytes(),
                    result.elapsed(),
                    null));
        } catch (ConcurrentSessionModificationException e) {
            dirty = false;
            lost = true;

            c.lifecycle()
                    .stop(
                            c,
                            RunStatus.FAILED,
                            "session '" + c.spec.sessionId() + "' was taken over by another process; this one stopped ("
                                    + e.getMessage() + ")");
        }
    }

    SessionSnapshot snapshot(SessionState st, String status, Coordinator c) {
        return new SessionSnapshot(
                SessionSnapshot.CURRENT_SCHEMA_VERSION,
                c.spec.sessionId(),
                session.storedVersion,
                status,
                st.startedAt,
                c.now(),
                session.topologyJson(),
                c.plan.topology.digest(),
                c.spec.masked(SnapshotCodec.encode(st, c.spec.task())));
    }
}
