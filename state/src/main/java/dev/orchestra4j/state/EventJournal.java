package dev.orchestra4j.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.internal.codec.SnapshotCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link StateManager}'s session journals: JSON events encoded through the codec (hence the redactor)
 * and stored in the journal of the session's key, with failures reported in terms of the session.
 */
final class EventJournal {

    private static final String RESTORED = "@restored";

    private final StorageBackend backend;
    private final SnapshotCodec codec;
    private final java.util.function.UnaryOperator<String> keyOf;

    EventJournal(StorageBackend backend, SnapshotCodec codec) {
        this(backend, codec, CheckpointId::sessionKey);
    }

    /** A journal stored under {@code keyOf(sessionId)} instead of the session's own key. */
    EventJournal(StorageBackend backend, SnapshotCodec codec, java.util.function.UnaryOperator<String> keyOf) {
        this.backend = backend;
        this.codec = codec;
        this.keyOf = keyOf;
    }

    long append(String sessionId, long expectedLastSequence, List<? extends JsonNode> events) {
        List<byte[]> encoded = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            String subject = "an event for session '" + sessionId + "'";
            encoded.add(codec.encodeEvent(Objects.requireNonNull(event, "event"), subject));
        }
        return appendBytes(sessionId, expectedLastSequence, encoded);
    }

    /** Appends events already written as JSON objects; they pass the redactor when one is set. */
    long appendEncoded(String sessionId, long expectedLastSequence, List<byte[]> events) {
        List<byte[]> stored = new ArrayList<>(events.size());
        for (byte[] event : events) {
            String subject = "an event for session '" + sessionId + "'";
            stored.add(codec.encodeEncodedEvent(Objects.requireNonNull(event, "event"), subject));
        }
        return appendBytes(sessionId, expectedLastSequence, stored);
    }

    private long appendBytes(String sessionId, long expectedLastSequence, List<byte[]> encoded) {
        try {
            return backend.appendJournal(keyOf.apply(sessionId), expectedLastSequence, encoded);
        } catch (ConcurrentSessionModificationException e) {
            throw ConcurrentSessionModificationException.journal(sessionId, e.expectedVersion(), e.actualVersion());
        }
    }

    List<JournalEvent> read(String sessionId, long afterSequence) {
        List<JournalEntry> entries;
        try {
            entries = backend.readJournal(keyOf.apply(sessionId), afterSequence);
        } catch (StateException e) {
            String message = "Cannot read the journal of session '" + sessionId + "': " + e.getMessage();
            throw e instanceof UnreadableStateException
                    ? new UnreadableStateException(message, e)
                    : new StateException(message, e);
        }
        List<JournalEvent> events = new ArrayList<>(entries.size());
        for (JournalEntry entry : entries) {
            String subject = "journal entry " + entry.sequence() + " of session '" + sessionId + "'";
            JsonNode data = codec.decodeEvent(entry.openStream(), subject);
            events.add(new JournalEvent(entry.sequence(), data, redacted(data, subject)));
        }
        return events;
    }

    /** Whether {@code data} is marked as changed by the redactor; the mark is removed, it is no part of the event. */
    private static boolean redacted(JsonNode data, String subject) {
        if (!(data instanceof ObjectNode object) || !object.has(SnapshotCodec.REDACTED)) {
            return false;
        }
        JsonNode mark = object.remove(SnapshotCodec.REDACTED);
        if (!mark.isBoolean() || !mark.booleanValue()) {
            throw new UnreadableStateException("Cannot read " + subject + ": its field '" + SnapshotCodec.REDACTED
                    + "' must be true, was " + mark);
        }
        return true;
    }

    long last(String sessionId) {
        return backend.lastJournalSequence(keyOf.apply(sessionId));
    }

    void truncate(String sessionId, long throughSequence) {
        backend.truncateJournal(keyOf.apply(sessionId), throughSequence);
    }

    /**
     * After a restore whose snapshot is stamped {@code last + 1}: one marker event moves the fence past
     * every owner of the abandoned timeline, and that timeline's events (all covered by the stamp) go.
     */
    void fenceAfterRestore(String sessionId, long last, String checkpointId) {
        String key = CheckpointId.sessionKey(sessionId);
        byte[] marker = codec.encodeEvent(
                JsonNodeFactory.instance.objectNode().put(RESTORED, checkpointId),
                "the restore marker of session '" + sessionId + "'");
        try {
            backend.appendJournal(key, last, List.of(marker));
        } catch (ConcurrentSessionModificationException e) {
            // an owner of the old timeline appended meanwhile; its events up to the stamp are skipped on replay
        }
        backend.truncateJournal(key, last + 1);
    }

    /**
     * Whether the session journaled events after its stored snapshot: it is still active, whatever the
     * snapshot's age. Unreadable snapshots count as inactive.
     */
    boolean hasEventsBeyond(String sessionId, StoredValue snapshot) {
        long last = last(sessionId);
        if (last == 0) {
            return false;
        }
        try {
            String subject = "session '" + sessionId + "'";
            return codec.decode(snapshot.value(), subject, sessionId, snapshot.version())
                            .journalSequence()
                    < last;
        } catch (StateException e) {
            return false;
        }
    }
}
