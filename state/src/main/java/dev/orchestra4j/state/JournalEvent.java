package dev.orchestra4j.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One event of a session's journal, as {@link StateManager#readEvents} returns it: its sequence number
 * (1 for the session's first event), the event's JSON as it was stored (after redaction), and whether the
 * {@link Redactor} changed any of its values when it was stored ({@code redacted}): then {@code data} is not
 * what its writer appended, and a reader that derives one part of it from another (recovery's replay) must not
 * expect them to agree. Events stored before this was recorded read as not redacted.
 */
public record JournalEvent(long sequence, JsonNode data, boolean redacted) {

    public JournalEvent {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be positive, was " + sequence);
        }
        Objects.requireNonNull(data, "data");
    }

    /** An event the redactor left as it was. */
    public JournalEvent(long sequence, JsonNode data) {
        this(sequence, data, false);
    }
}
