package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.SaveResult;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.internal.codec.RepeatedText;
import java.util.ArrayList;
import java.util.List;

/**
 * The step records of issue #19 (replay, fork, diff) on their way to a session's recording. A step's record rides in
 * the journal entry that commits the step ({@value #FIELD}), so recording a step costs no write of its own. The
 * session journal is truncated (compaction, a leg's snapshots, a claim, a restore), so before that the records it holds
 * are moved to the session's recording ({@link StateManager#appendRecording}) in one append. Each moved record is
 * stamped with the journal sequence that carried it ({@value #SEQUENCE}); a move copies only the entries after the
 * recording's last stamp, so a crash between the copy and the truncation neither loses nor duplicates a record.
 * Records of steps that a snapshot commits (no journal entry carries them) are moved with that snapshot, stamped with
 * the sequence it covers. Used on the coordinator thread (the persistence's write lock), except the static readers.
 *
 * <p>Internal: not part of the API.
 */
public final class JournaledRecords {

    static final String FIELD = "records";
    /** The journal sequence a moved record was committed with. */
    public static final String SEQUENCE = "journalSequence";

    /** Lets a step hand its record to the engine: the step's {@code AgentRequest.recorder()} implements it. */
    public interface Carrier {
        /** The finished step's record (secrets already masked); committed with the step, dropped if it is not. */
        void stepRecord(ObjectNode record);
    }

    /** Records of completed steps not yet in a journal entry. */
    private final List<ObjectNode> pending = new ArrayList<>();
    /** Whether the journal may hold records that are not moved yet (unknown, so true, until this leg truncates it). */
    private boolean journalHolds = true;
    /** The recording's last stamp and last sequence as this leg knows them; -1 = read them first. */
    private long movedThrough = -1;

    private long fence = -1;

    void add(ObjectNode record) {
        pending.add(record);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Takes the pending records for the journal entry about to commit their steps (empty when none wait). */
    List<JsonNode> take() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<JsonNode> records = List.copyOf(pending);
        pending.clear();
        journalHolds = true;
        return records;
    }

    /**
     * Moves every record the journal holds after the recording's last stamp, and the pending ones (stamped {@code
     * through}), to the recording in one append; call it right before the journal is truncated through {@code
     * through}. What this leg knew of the recording is read again once if another writer appended to it meanwhile (a
     * previous leg of the session in another process); a storage error propagates, nothing was truncated yet.
     */
    void moveBefore(StateManager manager, String sessionId, long through) {
        if (!journalHolds && pending.isEmpty()) {
            return;
        }
        try {
            move(manager, sessionId, through);
        } catch (ConcurrentSessionModificationException e) {
            movedThrough = -1;
            move(manager, sessionId, through);
        }
        pending.clear();
    }

    private void move(StateManager manager, String sessionId, long through) {
        if (movedThrough < 0) {
            fence = manager.lastRecordingSequence(sessionId);
            movedThrough = lastStamp(manager, sessionId, fence);
        }
        List<ObjectNode> out = journalHolds
                ? after(sessionId, manager.readEvents(sessionId, movedThrough), movedThrough)
                : new ArrayList<>();
        pending.forEach(r -> out.add(r.put(SEQUENCE, through)));
        if (out.isEmpty()) {
            return;
        }
        try {
            fence = manager.appendRecording(sessionId, fence, out);
        } catch (RuntimeException e) {
            movedThrough = -1;
            throw e;
        }
        movedThrough = out.getLast().path(SEQUENCE).asLong();
    }

    /**
     * Saves {@code snapshot} covering the journal through {@code through}, the journal's last sequence as the caller
     * knows it (the save is fenced there), which truncates it: the records it holds are moved to the recording first.
     */
    SaveResult compact(StateManager manager, String sessionId, SessionSnapshot snapshot, long through) {
        moveBefore(manager, sessionId, through);
        SaveResult result = manager.saveSnapshot(snapshot, through, through);
        truncated();
        return result;
    }

    /** Whether the journal may hold records and none waits outside it (a leg's final snapshot then keeps it). */
    boolean onlyInJournal() {
        return pending.isEmpty() && journalHolds;
    }

    /** The journal was truncated after {@link #moveBefore}: it holds no records now. */
    void truncated() {
        journalHolds = false;
    }

    /** The records that {@code journal}'s entries after sequence {@code moved} carry, stamped, in commit order. */
    public static List<ObjectNode> after(String sessionId, List<JournalEvent> journal, long moved) {
        List<ObjectNode> out = new ArrayList<>();
        for (JournalEvent event : journal) {
            if (event.sequence() > moved) {
                RepeatedText.resolve(
                        event.data(), "journal entry " + event.sequence() + " of session '" + sessionId + "'");
                for (JsonNode record : event.data().path(FIELD)) {
                    out.add(((ObjectNode) record.deepCopy()).put(SEQUENCE, event.sequence()));
                }
            }
        }
        return out;
    }

    /** Moves the records a session's journal holds to its recording (before a restore drops its journal). */
    public static void moveAll(StateManager manager, String sessionId) {
        new JournaledRecords().moveBefore(manager, sessionId, manager.lastEventSequence(sessionId));
    }

    /** The stamp of the recording's last event (0 when it has none, or the event came from elsewhere: a fork's copy). */
    private static long lastStamp(StateManager manager, String sessionId, long lastSequence) {
        if (lastSequence <= 0) {
            return 0;
        }
        List<JournalEvent> last = manager.readRecording(sessionId, lastSequence - 1);
        return last.isEmpty() ? 0 : last.getLast().data().path(SEQUENCE).asLong(0);
    }
}
