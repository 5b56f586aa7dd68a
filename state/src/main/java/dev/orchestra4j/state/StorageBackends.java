package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.memory.InMemoryStorageBackend;
import java.time.Clock;

/**
 * Factories for the built-in {@link StorageBackend}s that need no configuration. The durable ones are
 * constructed directly: {@link FileStorageBackend}, {@link JdbcStorageBackend}, {@link RedisStorageBackend}.
 */
public final class StorageBackends {

    private StorageBackends() {}

    /** A thread-safe, non-durable backend that keeps everything in this JVM's heap. */
    public static StorageBackend inMemory() {
        return inMemory(Clock.systemUTC());
    }

    /** Like {@link #inMemory()}, stamping entries with {@code clock} (for expiry tests). */
    public static StorageBackend inMemory(Clock clock) {
        return new InMemoryStorageBackend(clock);
    }
}
