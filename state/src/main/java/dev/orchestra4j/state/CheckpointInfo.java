package dev.orchestra4j.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored checkpoint. {@code id} is {@code "<sessionId>/<sequence>-<name>"} (for example
 * {@code "s-1/000003-before-review"}) and is what {@link StateManager#restoreCheckpoint(String)} takes;
 * {@code createdAt} is when the {@link StateManager} created it (its clock, to the microsecond), and
 * {@code sizeBytes} the stored size.
 */
public record CheckpointInfo(String id, String sessionId, String name, Instant createdAt, long sizeBytes) {

    public CheckpointInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
