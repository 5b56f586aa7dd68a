package dev.orchestra4j.core.internal.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.internal.SecretMask;
import dev.orchestra4j.core.internal.engine.StepStorageException;
import dev.orchestra4j.state.StateException;
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

    /**
     * Appends one step event. A storage failure is the engine's, not the agent's ({@link StepStorageException}): the
     * leg ends and the step runs again on recovery. The cached fence is dropped, so the next append reads it again.
     */
    void append(String sessionId, JsonNode event) {
        JsonNode masked = mask.apply(event);
        try {
            last.compute(
                    sessionId,
                    (id, known) -> manager.appendRecording(
                            id, known == null ? manager.lastRecordingSequence(id) : known, List.of(masked)));
        } catch (StateException e) {
            last.remove(sessionId);
            throw new StepStorageException("the step's recording of session '" + sessionId + "' was not stored", e);
        }
    }

    void forget(String sessionId) {
        last.remove(sessionId);
    }
}
