package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Writes the session to its {@link StateManager}. A committed step appends one {@link JournalDelta} (a {@link
 * JournalRecord.Step}, encoded by {@link JournalCodec}) to the session's journal (O(that step's data), one fsync on the file backend); a full snapshot is written when a leg starts and ends,
 * for checkpoints, and when {@link Cadence} says the journal is due for compaction (truncated through the snapshot).
 * The journal sequence is the owner's fencing token: a stale owner's append is rejected atomically and its leg stops;
 * so is its snapshot write, which names the sequence it knows ({@link StateManager#save(SessionSnapshot, long)}).
 * Step records ride in the entries that commit them ({@link JournaledRecords}); {@link Heartbeat} keeps the lease.
 */
final class Persistence {

    static final String RUNNING = "RUNNING";
    /** The stored status of a session persisted without running it (not a {@link RunStatus}: no leg ran yet). */
    static final String CREATED = "CREATED";

    private final Session session;
    private final Optional<StateManager> manager;
    private final @Nullable DurableParts durable;
    /** The journal's last sequence as this owner knows it: the fence of its next append. */
    private volatile long sequence = -1;
    /** The journal sequence the last full snapshot written covers. */
    private volatile long snapshotSequence;
    /** The last full snapshot's payload (null until this leg wrote or claimed one): fallback and heartbeat. */
    private volatile @Nullable JsonNode lastPayload;
    /** What a write that did not go through means for the leg. */
    final WriteFaults faults = new WriteFaults();

    Persistence(Session session, Optional<StateManager> manager) {
        this.session = session;
        this.manager = manager;
        this.durable =
                manager.isPresent() ? new DurableParts(this, session.spec().clock()) : null;
    }

    /** The durable parts, asked only on paths that run with a StateManager. */
    DurableParts durable() {
        return DurableParts.required(durable, session.id());
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
        durable().journal().baseline(session.state());
        durable().cadence.restarted(session.state().steps);
        durable().heart.wrote();
        faults.reset();
    }

    /** A step completed (or an answer was taken): committed, with the step's record if any, before the next dispatch. */
    void stepCompleted(@Nullable ObjectNode record) {
        if (durable != null) {
            durable.cadence.stepCompleted();
            if (record != null) {
                durable.records.add(record);
            }
        }
    }

    /** Commits if a step completed since the last commit and the auto-save interval allows it. */
    void maybeSave(Coordinator c) {
        if (durable != null
                && !faults.stopIfTakenOver(c)
                && durable.cadence.isDirty()
                && durable.cadence.allows(c.nowMillis(), manager.orElseThrow().autoSaveInterval())) {
            commit(c);
        }
    }

    private void commit(Coordinator c) {
        if (faults.stopsCommits()) {
            return;
        }
        if (lastPayload == null || durable().cadence.compactionDue()) {
            save(c, RUNNING);
            return;
        }
        journalEntry(c);
    }

    /** Appends what changed since the last entry, with the pending step records; returns whether it was stored. */
    private boolean journalEntry(Coordinator c) {
        c.ending.account(c.state);
        byte[] entry;
        try {
            // the committed steps' records ride in the same append: no write of their own
            DurableParts d = durable();
            JournalRecord.Step next =
                    d.journal().next(c.state, d.records.take(), InputPart.all(c.machine.accepted.take()));
            entry = c.spec.secrets().isEmpty()
                    ? JournalCodec.bytes(next)
                    : JournalCodec.bytes(c.spec.masked(JournalCodec.tree(next))); // secrets never reach the journal
        } catch (RuntimeException e) {
            failed(c, RUNNING, SnapshotValues.unwritable(c.spec.sessionId(), "a value produced by an agent", null, e));
            return false;
        }
        return append(c, entry);
    }

    private boolean append(Coordinator c, byte[] entry) {
        long start = System.nanoTime();
        DurableParts d = durable();
        d.writing.lock();
        try {
            sequence = manager.orElseThrow().appendEncodedEvents(c.spec.sessionId(), sequence(), List.of(entry));
            d.cadence.appended(c.nowMillis());
            saved(c, () -> entry.length, Duration.ofNanos(System.nanoTime() - start));
            return true;
        } catch (RuntimeException e) {
            notWritten(c, RUNNING, e);
        } finally {
            d.heart.wrote();
            d.writing.unlock();
        }
        return false;
    }

    /** Announces a write; {@code bytes} is asked only when someone listens. */
    private void saved(Coordinator c, LongSupplier bytes, Duration took) {
        c.telemetry.emit(() -> new OrchestraEvent.CheckpointSaved(
                c.spec.sessionId(), c.now(), null, manager.orElseThrow().backendName(), bytes.getAsLong(), took, null));
    }

    /** A write with {@code status} did not go through: lost to another owner, a storage error, or unwritable. */
    private void notWritten(Coordinator c, String status, RuntimeException e) {
        DurableParts.clean(durable);
        c.telemetry.effects.discard(); // what this write would have committed is not seen either
        if (e instanceof ConcurrentSessionModificationException taken) {
            faults.fencedOut(c, taken);
        } else if (e instanceof StateException storage) {
            faults.storageFailed(c, storage);
        } else {
            failed(c, status, e);
        }
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
        if (durable().records.hasPending() && lastPayload != null && !faults.stopsCommits()) {
            // recorded steps commit in the journal first, so a step that is not committed never has a record stored
            if (!journalEntry(c) && (faults.isLost() || status.equals(RUNNING))) {
                return;
            }
        }
        c.ending.account(c.state);
        JsonNode payload;
        try {
            payload = session.encodeState(status.equals(RUNNING) ? c.machine : null);
        } catch (RuntimeException e) {
            failed(c, status, e);
            return;
        }
        write(c, status, payload);
    }

    private void write(Coordinator c, String status, JsonNode payload) {
        DurableParts d = durable();
        d.writing.lock();
        try {
            long through = sequence();
            SaveResult result = saveCovering(c, status, payload, through);
            session.storedVersion = result.version();
            snapshotSequence = through;
            d.journal().baseline(c.state);
            c.machine.accepted.clear(); // the snapshot holds what they did, and the machine's place (MachinePart)
            d.cadence.snapshotted(c.state.steps, c.nowMillis());
            lastPayload = status.equals(RUNNING) ? payload : null;
            saved(c, result::bytes, result.elapsed());
        } catch (RuntimeException e) {
            notWritten(c, status, e);
        } finally {
            d.heart.wrote();
            d.writing.unlock();
        }
    }

    /**
     * Saves a snapshot covering the journal through {@code through}, fenced there (the journal's end as this owner
     * knows it: another owner's claim since refuses the write). The journal is truncated through it (compaction),
     * after its step records are moved to the recording; except when a leg ends and the journal holds records but no
     * step waits for a commit: it is then left as it is, the records' store until the next leg's claim, a restore or a
     * compaction moves them. A short recorded run thus writes no recording at all (issue #19: recording costs no write
     * of its own); a finished session keeps at most one compaction interval of journal, as one that crashed would.
     */
    private SaveResult saveCovering(Coordinator c, String status, JsonNode payload, long through) {
        StateManager m = manager.orElseThrow();
        if (!status.equals(RUNNING) && durable().records.onlyInJournal()) {
            return m.save(snapshot(status, payload).withJournalSequence(through), through);
        }
        return durable().records.compact(m, c.spec.sessionId(), snapshot(status, payload), through);
    }

    /**
     * The session could not be saved: the leg fails; when it ends, the last snapshot that could be written is stored
     * again with the final status (the journal after it still applies), so storage never shows an ended leg RUNNING.
     * When even that write fails, the leg ends with the storage error (or as lost), never as a clean end.
     */
    private void failed(Coordinator c, String status, RuntimeException e) {
        DurableParts.clean(durable);
        c.telemetry.effects.discard();
        if (!faults.unwritable(c, status, e)) {
            return;
        }
        JsonNode last = lastPayload;
        lastPayload = null;
        if (last == null) {
            return;
        }
        try {
            storeAgain(WriteFaults.storedInstead(status), last);
        } catch (RuntimeException again) {
            faults.finalWriteFailed(c, status, again);
        }
    }

    /** Keeps this owner's lease while the leg writes nothing (a long step, a wait); see {@link Heartbeat}. */
    void heartbeat(Coordinator c) {
        if (durable != null) { // without a StateManager there is no lease to keep
            durable.heart.due(c, lastPayload);
        }
    }

    /**
     * Re-writes {@code payload} as the RUNNING snapshot, covering what the last one covered, unless the leg wrote or
     * ended since it was read (the heartbeat's write). Throws what the backend throws.
     */
    void rewrite(JsonNode payload) {
        DurableParts d = durable();
        d.writing.lock();
        try {
            if (lastPayload == payload && !faults.isLost()) { // else the coordinator wrote (or ended) meanwhile
                storeAgain(RUNNING, payload);
            }
        } finally {
            d.heart.wrote();
            d.writing.unlock();
        }
    }

    /** Stores {@code payload} with {@code status}, covering what the last full snapshot covered, fenced where it knows. */
    private void storeAgain(String status, JsonNode payload) {
        session.storedVersion = manager.orElseThrow()
                .save(snapshot(status, payload).withJournalSequence(snapshotSequence), sequence())
                .version();
    }

    /** The envelope of this session's state with {@code status}; the journal sequence is stamped by the writer. */
    SessionSnapshot snapshot(String status, JsonNode payload) {
        return StoredSessions.envelope(session, status, payload);
    }

    /** Writes a suspended session's current state with {@code status} (a durable cancel), covering its journal. */
    void writeSuspended(String status) {
        StateManager m = manager.orElseThrow();
        long through = sequence();
        session.storedVersion = durable()
                .records
                .compact(m, session.id(), snapshot(status, session.encodeState(null)), through)
                .version();
        snapshotSequence = through;
    }
}
