package dev.orchestra4j.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A small versioned key-value store: the SPI behind {@link StateManager}.
 *
 * <p>Every entry has a version that starts at 1 when the key is created and grows by one with every
 * write. Keys consist of {@code [A-Za-z0-9._:/-]}, are at most 512 characters long and are made of
 * segments of at most 200 characters separated by {@code '/'}; empty, {@code "."} and {@code ".."}
 * segments are rejected with an {@link IllegalArgumentException} naming the key. Implementations are thread-safe; storage failures are
 * reported as {@link StateException}. Deleting a key and creating it again restarts its version at 1.
 */
public interface StorageBackend extends AutoCloseable {

    /** Returns the entry stored under {@code key}, or empty when there is none. */
    Optional<StoredValue> read(String key);

    /** Atomically stores {@code value} under {@code key}, whatever was there, and returns the new version. */
    long write(String key, byte[] value);

    /**
     * Atomically stores {@code value} only if the entry's current version is {@code expectedVersion}
     * ({@code 0} means the key must not exist).
     *
     * @return the new version, or empty when the stored version differs (nothing was written)
     */
    OptionalLong compareAndSet(String key, long expectedVersion, byte[] value);

    /** Deletes the entry; idempotent. Returns {@code true} if something was deleted. */
    boolean delete(String key);

    /**
     * Atomically deletes the entry only if its current version is {@code expectedVersion} (positive).
     *
     * @return {@code true} if it was deleted; {@code false} if it is missing or has another version
     */
    boolean compareAndDelete(String key, long expectedVersion);

    /** Returns the keys starting with {@code prefix} (may be empty), sorted in natural string order. */
    List<String> list(String prefix);

    /**
     * Deletes every entry last written longer than {@code age} ago, measured with the backend's clock.
     *
     * @return the number of deleted entries
     */
    int expireOlderThan(Duration age);

    /** A short backend name for metric tags: {@code "memory"}, {@code "file"}, {@code "jdbc"}, {@code "redis"}. */
    String name();

    /** Releases connections or handles; the backend must not be used afterwards. */
    @Override
    default void close() {}
}
