package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.SaveResult;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Writes the session to its {@link StateManager}. A committed step appends one {@link JournalDelta} to the session's
 * journal (O(that step's data), one fsync on the file backend); a full snapshot is written when a leg starts and
 * ends, for checkpoints, and when the journal since the last snapshot holds as many steps as that snapshot covers, at
 * least {@link #COMPACT_EVERY} (compaction: the journal is truncated through it). A snapshot's size grows with the
 * trace, so compacting at doubling intervals keeps the bytes written per step flat however long the run. The
 * journal sequence is the owner's fencing token: a stale owner's append is rejected atomically and its leg stops.
 * A recorded step's record rides in the entry that commits it ({@link JournaledRecords}), moved to the recording
 * before the journal is truncated.
 */
final class Persistence {

    static final String RUNNING = "RUNNING";
    /** The stored status of a session persisted without running it (not a {@link RunStatus}: no leg ran yet). */
    static final String CREATED = "CREATED";

    static final int COMPACT_EVERY = 64;

    private final Session session;
    private final Optional<StateManager> manager;
    /** Made on the first write: a session without a StateManager (or never saved) keeps no journal state in memory. */
    private @Nullable JournalDelta journal;

    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicBoolean beating = new AtomicBoolean();
    /** The journal's last sequence as this owner knows it: the fence of its next append. */
    private volatile long sequence = -1;
    /** The journal sequence the last full snapshot written covers. */
    private volatile long snapshotSequence;
    /** The last full snapshot's payload (null until this leg wrote or claimed one): fallback and heartbeat. */
    private volatile @Nullable JsonNode lastPayload;

    /** When this owner last wrote (epoch millis of the session clock): a heartbeat is due a heartbeat after it. */
    private volatile long lastWriteMillis;

    /** What a write that did not go through means for the leg. */
    final WriteFaults faults = new WriteFaults();

    /** Step records (issue #19) riding with the commits, moved to the recording before the journal is truncated. */
    final JournaledRecords records = new JournaledRecords();

    private long lastSaveMillis;
    private int sinceSnapshot;
    /** The session's step count when the last full snapshot was written: the next compaction waits as many steps. */
    private int stepsAtSnapshot;

    private boolean dirty;

    Persistence(Session session, Optional<StateManager> manager) {
        this.session = session;
        this.manager = manager;
        this.lastWriteMillis = session.spec().clock().millis();
    }

    private JournalDelta journal() {
        JournalDelta delta = journal;
        if (delta == null) {
            delta = new JournalDelta();
            journal = delta;
        }
        return delta;
    }

    /** The session was read back from storage: its journal ended at {@code lastSequence}, its snapshot covers one. */
    void restored(long lastSequence, long coveredBySnapshot) {
        sequence = lastSequence;
        snapshotSequence = coveredBySnapshot;
    }

    long sequence() {
        StateManager m = manager.orElseThrow();
        if (sequence < 0) {
            sequence = m.lastEventSequence(session.id());
        }
        return sequence;
    }

    /** A claim fenced the journal at {@code fenced} and wrote {@code payload} as the RUNNING snapshot. */
    void claimed(JsonNode payload, long fenced) {
        sequence = fenced;
        snapshotSequence = fenced;
        lastPayload = payload;
        journal().baseline(session.state());
        sinceSnapshot = 0;
        lastWriteMillis = session.spec().clock().millis();
        stepsAtSnapshot = session.state().steps;
        faults.reset();
    }

    /** A step completed; it is committed, with its record if it was recorded, before the next step is dispatched. */
    void stepCompleted(com.fasterxml.jackson.databind.node.@Nullable ObjectNode record) {
        dirty = manager.isPresent();
        if (record != null && dirty) {
            records.add(record);
        }
    }

    /** Commits if a step completed since the last commit and the auto-save interval allows it. */
    void maybeSave(Coordinator c) {
        if (faults.stopIfTakenOver(c) || !dirty) {
            return;
        }
        Duration interval = manager.orElseThrow().autoSaveInterval();
        if (interval.isZero() || c.nowMillis() - lastSaveMillis >= interval.toMillis()) {
            commit(c);
        }
    }

    private void commit(Coordinator c) {
        if (faults.stopsCommits()) {
            return;
        }
        if (lastPayload == null || sinceSnapshot >= Math.max(COMPACT_EVERY, stepsAtSnapshot)) {
            save(c, RUNNING);
            return;
        }
        journalEntry(c);
    }

    /** Appends what changed since the last entry, with the pending step records; returns whether it was stored. */
    private boolean journalEntry(Coordinator c) {
        c.lifecycle().account(c);
        JsonNode delta;
        try {
            com.fasterxml.jackson.databind.node.ObjectNode next = journal().next(c.state);
            records.attach(next); // the committed steps' records ride in the same append: no write of their own
            delta = c.spec.masked(next); // secrets never reach the journal
        } catch (RuntimeException e) {
            failed(c, RUNNING, SnapshotValues.unwritable(c.spec.sessionId(), "a value produced by an agent", null, e));
            return false;
        }
        return append(c, delta);
    }

    private boolean append(Coordinator c, JsonNode delta) {
        long start = System.nanoTime();
        writing.lock();
        try {
            sequence = manager.orElseThrow().appendEvents(c.spec.sessionId(), sequence(), List.of(delta));
            sinceSnapshot++;
            dirty = false;
            lastSaveMillis = c.nowMillis();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            c.telemetry.emit(() -> new OrchestraEvent.CheckpointSaved(
                    c.spec.sessionId(),
                    c.now(),
                    null,
                    manager.orElseThrow().backendName(),
                    delta.toString().length(), // only when someone listens
                    took,
                    null));
            return true;
        } catch (ConcurrentSessionModificationException e) {
            dirty = false;
            faults.fencedOut(c, e);
        } catch (StateException e) {
            dirty = false;
            faults.storageFailed(c, e);
        } catch (RuntimeException e) {
            failed(c, RUNNING, e);
        } finally {
            lastWriteMillis = session.spec().clock().millis();
            writing.unlock();
        }
        return false;
    }

    private void saved(Coordinator c, long bytes, Duration took) {
        c.telemetry.emit(() -> new OrchestraEvent.CheckpointSaved(
                c.spec.sessionId(), c.now(), null, manager.orElseThrow().backendName(), bytes, took, null));
    }

    /**
     * Writes a full snapshot with {@code status} now (leg start and end, checkpoints, compaction). A lost race stops
     * the leg with a clear error; so does a session that cannot be written (a value that is not JSON, a failing
     * backend): the leg fails with a message naming the cause, and storage never shows an ended leg as RUNNING.
     */
    void save(Coordinator c, String status) {
        if (manager.isEmpty() || faults.isLost()) {
            return;
        }
        if (records.hasPending() && lastPayload != null && !faults.stopsCommits()) {
            // recorded steps commit in the journal first, so a step that is not committed never has a record stored
            if (!journalEntry(c) && (faults.isLost() || status.equals(RUNNING))) {
                return;
            }
        }
        c.lifecycle().account(c);
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
            long through = sequence();
            SaveResult result = saveCovering(c, status, payload, through);
            session.storedVersion = result.version();
            snapshotSequence = through;
            journal().baseline(c.state);
            sinceSnapshot = 0;
            stepsAtSnapshot = c.state.steps;
            lastPayload = status.equals(RUNNING) ? payload : null;
            lastSaveMillis = c.nowMillis();
            dirty = false;
            saved(c, result.bytes(), result.elapsed());
        } catch (ConcurrentSessionModificationException e) {
            dirty = false;
            faults.fencedOut(c, e);
        } catch (StateException e) {
            dirty = false;
            faults.storageFailed(c, e);
        } catch (RuntimeException e) {
            failed(c, status, e);
        } finally {
            lastWriteMillis = session.spec().clock().millis();
            writing.unlock();
        }
    }

    /**
     * Saves a snapshot covering the journal through {@code through}. The journal is truncated through it (compaction),
     * after its step records are moved to the recording; except when a leg ends and the journal holds records but no
     * step waits for a commit: it is then left as it is, the records' store until the next leg's claim, a restore or a
     * compaction moves them. A short recorded run thus writes no recording at all (issue #19: recording costs no write
     * of its own); a finished session keeps at most one compaction interval of journal, as one that crashed would.
     */
    private SaveResult saveCovering(Coordinator c, String status, JsonNode payload, long through) {
        StateManager m = manager.orElseThrow();
        if (!status.equals(RUNNING) && records.onlyInJournal()) {
            return m.save(snapshot(status, payload).withJournalSequence(through));
        }
        records.moveBefore(m, c.spec.sessionId(), through);
        SaveResult result = m.saveSnapshot(snapshot(status, payload), through);
        records.truncated();
        return result;
    }

    /**
     * The session could not be saved: the leg fails; when it ends, the last snapshot that could be written is stored
     * again with the final status (the journal after it still applies), so storage never shows an ended leg RUNNING.
     * When even that write fails, the leg ends with the storage error (or as lost), never as a clean end.
     */
    private void failed(Coordinator c, String status, RuntimeException e) {
        dirty = false;
        if (!faults.unwritable(c, status, e)) {
            return;
        }
        JsonNode last = lastPayload;
        lastPayload = null;
        if (last == null) {
            return;
        }
        try {
            session.storedVersion = manager.orElseThrow()
                    .save(snapshot(status, last).withJournalSequence(snapshotSequence))
                    .version();
        } catch (RuntimeException again) {
            faults.finalWriteFailed(c, status, again);
        }
    }

    /**
     * Keeps this owner's lease (SPEC §10, one owner per session): called on the scanner thread, it re-writes the last
     * full snapshot when the leg has written nothing for {@link StateManager#heartbeatInterval()} on the session
     * clock (a long step, a wait), so that a {@code recoverSession} elsewhere sees this owner is alive. The write
     * happens on its own virtual thread.
     */
    void heartbeat(Coordinator c) {
        JsonNode payload = lastPayload;
        if (payload == null
                || faults.isLost()
                || c.nowMillis() - lastWriteMillis
                        < manager.orElseThrow().heartbeatInterval().toMillis()
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
            if (lastPayload != payload || faults.isLost()) {
                return; // the coordinator wrote (or ended) meanwhile
            }
            session.storedVersion = manager.orElseThrow()
                    .save(snapshot(RUNNING, payload).withJournalSequence(snapshotSequence))
                    .version();
        } catch (ConcurrentSessionModificationException e) {
            faults.heartbeatFencedOut();
            c.post(new Signal.Wake());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Persistence.class).warn("heartbeat of session '{}' failed", c.spec.sessionId(), e);
        } finally {
            lastWriteMillis = session.spec().clock().millis();
            writing.unlock();
        }
    }

    /** The envelope of this session's state with {@code status}; the journal sequence is stamped by the writer. */
    SessionSnapshot snapshot(String status, JsonNode payload) {
        return StoredSessions.envelope(session, status, payload);
    }

    /** Writes a suspended session's current state with {@code status} (a durable cancel), covering its journal. */
    void writeSuspended(String status) {
        StateManager m = manager.orElseThrow();
        long through = sequence();
        records.moveBefore(m, session.id(), through);
        session.storedVersion =
                m.saveSnapshot(snapshot(status, session.encodeState()), through).version();
        records.truncated();
        snapshotSequence = through;
    }
}
