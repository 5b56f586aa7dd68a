package dev.orchestra4j.state;

import java.time.Instant;
import java.util.Objects;

/** What {@link StateManager#listSessions()} reports about one stored session. */
public record SessionSummary(String sessionId, String status, Instant updatedAt, long version) {

    public SessionSummary {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
