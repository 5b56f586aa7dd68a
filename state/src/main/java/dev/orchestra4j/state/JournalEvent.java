package dev.orchestra4j.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One event of a session's journal, as {@link StateManager#readEvents} returns it: its sequence number
 * (1 for the session's first event) and the event's JSON as it was stored (after redaction).
 */
public record JournalEvent(long sequence, JsonNode data) {

    public JournalEvent {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be positive, was " + sequence);
        }
        Objects.requireNonNull(data, "data");
    }
}
