package dev.orchestra4j.state;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one write by the {@link StateManager}, for metrics: {@code id} is the session id (for a
 * save) or the checkpoint id (for a checkpoint), {@code version} the new storage version, {@code bytes}
 * the stored size after compression and {@code elapsed} the time spent encoding and writing.
 */
public record SaveResult(String id, long version, int bytes, Duration elapsed) {

    public SaveResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
