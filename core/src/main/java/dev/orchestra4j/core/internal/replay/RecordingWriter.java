package dev.orchestra4j.core.internal.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.internal.SecretMask;
import dev.orchestra4j.state.StateManager;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Appends step events to sessions' recordings: secrets' text masked here, the storage's redactor applied by the {@link
 * StateManager}. Appends of one session are serialized and fenced by the recording's last sequence, read once per
 * session leg ({@link #forget} drops it when the leg ends).
 */
final class RecordingWriter {

    private final StateManager manager;
    private final SecretMask mask;
    private final ConcurrentMap<String, Long> last = new ConcurrentHashMap<>();

    RecordingWriter(StateManager manager, SecretMask mask) {
        this.manager = manager;
        this.mask = mask;
    }

    void append(String sessionId, JsonNode event) {
        JsonNode masked = mask.apply(event);
        last.compute(
                sessionId,
                (id, known) -> manager.appendRecording(
                        id, known == null ? manager.lastRecordingSequence(id) : known, List.of(masked)));
    }

    void forget(String sessionId) {
        last.remove(sessionId);
    }
}
