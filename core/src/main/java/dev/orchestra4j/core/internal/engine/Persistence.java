package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.SaveResult;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

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
    /** Saving failed once (unwritable value, backend error): the leg is failing; only its final status is written. */
    private boolean broken;
    /** The last payload written, to store a final status with when the current state cannot be written. */
    private volatile @Nullable JsonNode lastPayload;
    /** Serialises the coordinator's saves with heartbeats written from another thread. */
    private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();

    private final java.util.concurrent.atomic.AtomicBoolean beating = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long lastWriteNanos = System.nanoTime();
    /** A heartbeat found the session written by another owner: this leg stops at its next loop turn. */
    private volatile boolean takenOver;

    Persistence(Session session, Optional<StateManager> manager) {
        this.session = session;
        this.manager = manager;
    }

    /** What a claim just wrote: the state to fall back on if this leg cannot save any later one. */
    void claimed(JsonNode payload) {
        lastPayload = payload;
        lastWriteNanos = System.nanoTime();
        takenOver = false;
        broken = false;
        lost = false;
    }

    /** A step completed; the state will be saved before the next step is dispatched. */
    void stepCompleted() {
        dirty = manager.isPresent();
    }

    /** Saves if a step completed since the last save and the auto-save interval allows it. */
    void maybeSave(Coordinator c) {
        if (takenOver && !lost) {
            lost = true;
            c.lifecycle()
                    .stop(
                            c,
                            RunStatus.FAILED,
                            "session '" + c.spec.sessionId() + "' was taken over by another process; this one stopped");
            return;
        }
        if (!dirty) {
            return;
        }
        Duration interval = manager.orElseThrow().autoSaveInterval();
        if (interval.isZero() || c.nowMillis() - lastSaveMillis >= interval.toMillis()) {
            save(c, RUNNING);
        }
    }

    /**
     * Saves now with {@code status}. A lost race stops the leg with a clear error; so does a session that cannot be
     * written (a value that is not JSON, a failing backend): the leg fails with a message naming the cause, and the
     * session is never left marked RUNNING in storage when its leg has ended.
     */
    void save(Coordinator c, String status) {
        if (manager.isEmpty() || lost) {
            return;
        }
        JsonNode payload;
        try {
            payload = session.encodeState();
        } catch (RuntimeException e) {
            failed(c, status, e);
            return;
        }
        write(c, status, payload);
    }

    private void write(Coordinator c, String status, JsonNode payload) {
        writing.lock();
        try {
            SaveResult result = manager.get().save(snapshot(c.state, status, c, payload));
            session.storedVersion = result.version();
            lastPayload = status.equals(RUNNING) ? payload : null;
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
        } catch (RuntimeException e) {
            failed(c, status, e);
        } finally {
            lastWriteNanos = System.nanoTime();
            writing.unlock();
        }
    }

    /**
     * Keeps this owner's lease (SPEC §10, one owner per session): called on the scanner thread, it re-writes the last
     * saved state when the leg has written nothing for {@link Session#HEARTBEAT} (a long step, a wait), so that a
     * {@code recoverSession} elsewhere sees this owner is alive. The write happens on its own virtual thread.
     */
    void heartbeat(Coordinator c) {
        JsonNode payload = lastPayload;
        if (payload == null
                || lost
                || System.nanoTime() - lastWriteNanos < Session.HEARTBEAT.toNanos()
                || !beating.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("orchestra4j-heartbeat").start(() -> {
            try {
                beat(c, payload);
            } finally {
                beating.set(false);
            }
        });
    }

    private void beat(Coordinator c, JsonNode payload) {
        writing.lock();
        try {
            if (lastPayload != payload || lost) {
                return; // the coordinator saved (or ended) meanwhile
            }
            session.storedVersion = manager.orElseThrow()
                    .save(snapshot(c.state, RUNNING, c, payload))
                    .version();
        } catch (ConcurrentSessionModificationException e) {
            takenOver = true;
            c.post(new Signal.Wake());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Persistence.class).warn("heartbeat of session '{}' failed", c.spec.sessionId(), e);
        } finally {
            lastWriteNanos = System.nanoTime();
            writing.unlock();
        }
    }

    /**
     * The session could not be saved: the leg fails; when it ends, the last state that could be written is stored
     * again with the final status, so storage never shows a finished leg as RUNNING.
     */
    private void failed(Coordinator c, String status, RuntimeException e) {
        dirty = false;
        boolean ending = !status.equals(RUNNING) || broken;
        broken = true;
        if (!ending) {
            c.lifecycle().stop(c, RunStatus.FAILED, StepRunner.describe(e));
            return;
        }
        JsonNode last = lastPayload;
        lastPayload = null;
        if (last != null) {
            write(c, status, last);
        }
    }

    SessionSnapshot snapshot(SessionState st, String status, Coordinator c, JsonNode payload) {
        return new SessionSnapshot(
                SessionSnapshot.CURRENT_SCHEMA_VERSION,
                c.spec.sessionId(),
                session.storedVersion,
                status,
                st.startedAt,
                c.now(),
                session.topologyJson(),
                c.plan.topology.digest(),
                payload);
    }
}
