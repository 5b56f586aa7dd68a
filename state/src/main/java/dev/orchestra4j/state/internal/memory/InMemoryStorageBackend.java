package dev.orchestra4j.state.internal.memory;

import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.state.internal.Keys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link StorageBackend} over a {@link ConcurrentHashMap}; every update is one atomic map operation. */
public final class InMemoryStorageBackend implements StorageBackend {

    private final ConcurrentMap<String, StoredValue> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryStorageBackend(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<StoredValue> read(String key) {
        return Optional.ofNullable(entries.get(Keys.requireValid(key)));
    }

    @Override
    public long write(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        StoredValue stored = entries.compute(Keys.requireValid(key), (k, old) -> next(old, value));
        return stored.version();
    }

    @Override
    public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
        Objects.requireNonNull(value, "value");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative, was " + expectedVersion);
        }
        boolean[] written = {false};
        StoredValue stored = entries.compute(Keys.requireValid(key), (k, old) -> {
            long current = old == null ? 0 : old.version();
            if (current != expectedVersion) {
                return old;
            }
            written[0] = true;
            return next(old, value);
        });
        return written[0] ? OptionalLong.of(Objects.requireNonNull(stored).version()) : OptionalLong.empty();
    }

    @Override
    public boolean delete(String key) {
        return entries.remove(Keys.requireValid(key)) != null;
    }

    @Override
    public boolean compareAndDelete(String key, long expectedVersion) {
        Keys.requirePositiveVersion(expectedVersion);
        boolean[] deleted = {false};
        entries.computeIfPresent(Keys.requireValid(key), (k, old) -> {
            deleted[0] = old.version() == expectedVersion;
            return deleted[0] ? null : old;
        });
        return deleted[0];
    }

    @Override
    public List<String> list(String prefix) {
        Keys.requireValidPrefix(prefix);
        return entries.keySet().stream()
                .filter(key -> key.startsWith(prefix))
                .sorted()
                .toList();
    }

    @Override
    public int expireOlderThan(Duration age) {
        Instant cutoff = clock.instant().minus(age);
        int removed = 0;
        for (var entry : entries.entrySet()) {
            if (entry.getValue().updatedAt().isBefore(cutoff) && entries.remove(entry.getKey(), entry.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public String toString() {
        return "InMemoryStorageBackend[" + entries.size() + " entries]";
    }

    @Override
    public String name() {
        return "memory";
    }

    private StoredValue next(StoredValue old, byte[] value) {
        long version = old == null ? 1 : old.version() + 1;
        return new StoredValue(value, version, clock.instant());
    }
}
