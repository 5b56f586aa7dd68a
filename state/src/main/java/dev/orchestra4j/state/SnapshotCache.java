package dev.orchestra4j.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StateManager}'s cache of decoded snapshots, keyed by session id. It never answers on its
 * own: a lookup must present what storage holds right now (version and checksum of the bytes), and only
 * a matching entry is served, so the cache saves decoding work but can never serve data that storage no
 * longer holds or has rejected. Entries are deep copies and are handed out as deep copies. Size 0
 * disables it.
 */
final class SnapshotCache {

    private record Entry(long version, long checksum, SessionSnapshot snapshot) {}

    private final @Nullable Cache<String, Entry> cache;

    SnapshotCache(long maximumSize) {
        this.cache = maximumSize == 0
                ? null
                : Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    static long checksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue() ^ ((long) bytes.length << 32);
    }

    /** The cached snapshot if it was decoded from exactly these stored bytes. */
    Optional<SessionSnapshot> get(String sessionId, long version, long checksum) {
        if (cache == null) {
            return Optional.empty();
        }
        Entry entry = cache.getIfPresent(sessionId);
        if (entry == null || entry.version() != version || entry.checksum() != checksum) {
            return Optional.empty();
        }
        return Optional.of(entry.snapshot().deepCopy());
    }

    /** Caches a copy of {@code snapshot}, decoded from (or encoded to) bytes with this checksum. */
    void put(SessionSnapshot snapshot, long checksum) {
        if (cache != null) {
            cache.put(snapshot.sessionId(), new Entry(snapshot.version(), checksum, snapshot.deepCopy()));
        }
    }

    void invalidate(String sessionId) {
        if (cache != null) {
            cache.invalidate(sessionId);
        }
    }

    void invalidateAll() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }
}
