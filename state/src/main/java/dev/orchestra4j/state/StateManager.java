package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.codec.SnapshotCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Saves, loads, checkpoints and restores {@link SessionSnapshot}s on a {@link StorageBackend}.
 *
 * <p>Every save is a compare-and-set on the snapshot's {@link SessionSnapshot#version() version}: a writer
 * holding a stale snapshot gets a {@link ConcurrentSessionModificationException} and nothing is written.
 * Storage is the source of truth: every load reads storage. A bounded Caffeine cache of decoded snapshots,
 * filled only after a successful write or read and dropped on any conflict or failure, spares the
 * decoding when the stored bytes are exactly those it was filled from (same version and checksum), so it
 * never serves data that storage no longer holds, whichever process wrote it.
 *
 * <p>Layout: a session lives under the key {@code sessions/<sessionId>}, its checkpoints under {@code
 * checkpoints/<sessionId>/<sequence>-<name>}; a checkpoint id is {@code "<sessionId>/<sequence>-<name>"}.
 * Session ids and checkpoint names are 1 to 128 characters of {@code [A-Za-z0-9._-]}, not "." or "..".
 * Thread-safe. Closing the manager closes its backend.
 */
public final class StateManager implements AutoCloseable {

    private final StorageBackend backend;
    private final Duration autoSaveInterval;
    private final boolean compression;
    private final @Nullable Duration retention;
    private final int maxCheckpointsPerSession;
    private final Clock clock;
    private final long cacheSize;
    private final SnapshotCodec codec = new SnapshotCodec();
    private final Checkpoints checkpoints;
    private final SnapshotCache cache;

    /** A manager with the defaults: save after every step, no compression, keep forever, 10 checkpoints. */
    public StateManager(StorageBackend backend) {
        this(builder(backend));
    }

    private StateManager(Builder builder) {
        this.backend = builder.backend;
        this.autoSaveInterval = builder.autoSaveInterval;
        this.compression = builder.compression;
        this.retention = builder.retention;
        this.maxCheckpointsPerSession = builder.maxCheckpointsPerSession;
        this.clock = builder.clock;
        this.cacheSize = builder.cacheSize;
        this.checkpoints = new Checkpoints(backend, codec, maxCheckpointsPerSession);
        this.cache = new SnapshotCache(cacheSize);
    }

    public static Builder builder(StorageBackend backend) {
        return new Builder(backend);
    }

    /**
     * Saves the snapshot if storage still holds {@code snapshot.version()} ({@code 0}: the session must not
     * exist yet) and returns the new version. The envelope is stored as given (the caller owns {@code
     * status} and the timestamps); the storage version is not part of the stored bytes.
     *
     * @throws ConcurrentSessionModificationException if another writer saved, restored or deleted it since
     */
    public long saveSession(SessionSnapshot snapshot) {
        return save(snapshot).version();
    }

    /** Like {@link #saveSession} and reports the stored size and the time spent, for metrics. */
    public SaveResult save(SessionSnapshot snapshot) {
        if (snapshot.schemaVersion() > SessionSnapshot.CURRENT_SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion must be at most " + SessionSnapshot.CURRENT_SCHEMA_VERSION
                    + ", was " + snapshot.schemaVersion());
        }
        long start = System.nanoTime();
        String sessionId = snapshot.sessionId();
        byte[] bytes = codec.encode(snapshot, compression);
        String key = CheckpointId.sessionKey(sessionId);
        OptionalLong written;
        try {
            written = backend.compareAndSet(key, snapshot.version(), bytes);
        } catch (RuntimeException e) {
            cache.invalidate(sessionId);
            throw e;
        }
        if (written.isEmpty()) {
            cache.invalidate(sessionId);
            long actual = backend.read(key).map(StoredValue::version).orElse(0L);
            throw new ConcurrentSessionModificationException(sessionId, snapshot.version(), actual);
        }
        long version = written.getAsLong();
        cache.put(snapshot.withVersion(version), SnapshotCache.checksum(bytes));
        return new SaveResult(sessionId, version, bytes.length, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The session's current snapshot as storage holds it, or empty when it was never saved. */
    public Optional<SessionSnapshot> loadSession(String sessionId) {
        Ids.requireSessionId(sessionId);
        Optional<StoredValue> stored = backend.read(CheckpointId.sessionKey(sessionId));
        if (stored.isEmpty()) {
            cache.invalidate(sessionId);
            return Optional.empty();
        }
        byte[] bytes = stored.get().value();
        long version = stored.get().version();
        long checksum = SnapshotCache.checksum(bytes);
        Optional<SessionSnapshot> cached = cache.get(sessionId, version, checksum);
        if (cached.isPresent()) {
            return cached;
        }
        SessionSnapshot snapshot = codec.decode(bytes, "session '" + sessionId + "'", sessionId, version);
        cache.put(snapshot, checksum);
        return Optional.of(snapshot);
    }

    /**
     * Copies the session's current stored snapshot into an immutable checkpoint and prunes the oldest
     * beyond {@link #maxCheckpointsPerSession()}.
     *
     * @return the checkpoint id, {@code "<sessionId>/<sequence>-<name>"}
     * @throws StateException if the session has no saved state or it cannot be decoded
     */
    public String createCheckpoint(String sessionId, String name) {
        return checkpoint(sessionId, name).id();
    }

    /** Like {@link #createCheckpoint} and reports the checkpoint's size and the time spent, for metrics. */
    public SaveResult checkpoint(String sessionId, String name) {
        Ids.requireSessionId(sessionId);
        Ids.requireCheckpointName(name);
        long start = System.nanoTime();
        CheckpointInfo info = checkpoints.create(sessionId, name);
        return new SaveResult(info.id(), 1, (int) info.sizeBytes(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Deletes one checkpoint; returns {@code false} if it did not exist. */
    public boolean deleteCheckpoint(String checkpointId) {
        CheckpointId id = CheckpointId.parse(Objects.requireNonNull(checkpointId, "checkpointId"));
        return backend.delete(id.key());
    }

    /** The session's checkpoints, oldest first. */
    public List<CheckpointInfo> listCheckpoints(String sessionId) {
        return checkpoints.list(Ids.requireSessionId(sessionId));
    }

    /**
     * Makes the session's current snapshot equal to the checkpoint's content, stamped with the manager's
     * clock as {@code updatedAt}, under a new version (whatever the session held before; a writer still
     * holding an older version then gets a conflict), and returns it.
     *
     * @throws StateException if no checkpoint has this id or it cannot be decoded
     */
    public SessionSnapshot restoreCheckpoint(String checkpointId) {
        CheckpointId id = CheckpointId.parse(Objects.requireNonNull(checkpointId, "checkpointId"));
        SessionSnapshot restored = checkpoints.read(id).withUpdatedAt(clock.instant());
        cache.invalidate(id.sessionId());
        byte[] bytes = codec.encode(restored, compression);
        long version = backend.write(CheckpointId.sessionKey(id.sessionId()), bytes);
        SessionSnapshot current = restored.withVersion(version);
        cache.put(current, SnapshotCache.checksum(bytes));
        return current;
    }

    /**
     * A summary of every stored session, sorted by id, read from storage.
     *
     * @throws StateException if a stored session cannot be decoded (the message names it)
     */
    public List<SessionSummary> listSessions() {
        List<SessionSummary> sessions = new ArrayList<>();
        for (String sessionId : storedSessionIds()) {
            loadSession(sessionId)
                    .ifPresent(
                            s -> sessions.add(new SessionSummary(sessionId, s.status(), s.updatedAt(), s.version())));
        }
        return List.copyOf(sessions);
    }

    /** Deletes the session and all its checkpoints; returns {@code true} if anything was deleted. */
    public boolean deleteSession(String sessionId) {
        Ids.requireSessionId(sessionId);
        cache.invalidate(sessionId);
        int deletedCheckpoints = checkpoints.deleteAll(sessionId);
        boolean deletedSession = backend.delete(CheckpointId.sessionKey(sessionId));
        cache.invalidate(sessionId);
        return deletedSession || deletedCheckpoints > 0;
    }

    /**
     * Deletes every session (with its checkpoints) that storage last wrote longer than {@link #retention()}
     * ago, measured with this manager's clock; does nothing when no retention is set. A session saved
     * while the purge runs is kept: the delete is conditional on the version the purge saw.
     *
     * @return the number of deleted sessions
     */
    public int purgeExpired() {
        if (retention == null) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(retention);
        int purged = 0;
        for (String sessionId : storedSessionIds()) {
            String key = CheckpointId.sessionKey(sessionId);
            Optional<StoredValue> stored = backend.read(key);
            if (stored.isPresent()
                    && stored.get().updatedAt().isBefore(cutoff)
                    && backend.compareAndDelete(key, stored.get().version())) {
                cache.invalidate(sessionId);
                checkpoints.deleteAll(sessionId);
                purged++;
            }
        }
        return purged;
    }

    /** The backend's short name, for metric tags. */
    public String backendName() {
        return backend.name();
    }

    public StorageBackend backend() {
        return backend;
    }

    /** How often the engine should save a running session; {@link Duration#ZERO} means after every step. */
    public Duration autoSaveInterval() {
        return autoSaveInterval;
    }

    public boolean isCompressionEnabled() {
        return compression;
    }

    /** How long an untouched session is kept by {@link #purgeExpired()}; empty means forever. */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }

    public int maxCheckpointsPerSession() {
        return maxCheckpointsPerSession;
    }

    public Clock clock() {
        return clock;
    }

    public long cacheSize() {
        return cacheSize;
    }

    /** Drops the cache and closes the backend. */
    @Override
    public void close() {
        cache.invalidateAll();
        backend.close();
    }

    /** Ids of the stored sessions; keys under the sessions prefix that this manager did not write are skipped. */
    private List<String> storedSessionIds() {
        return backend.list(CheckpointId.sessionsPrefix()).stream()
                .map(CheckpointId::sessionIdOf)
                .filter(Ids::isValid)
                .toList();
    }

    /** Configures a {@link StateManager}; every setter validates its argument. */
    public static final class Builder {

        private final StorageBackend backend;
        private Duration autoSaveInterval = Duration.ZERO;
        private boolean compression;
        private @Nullable Duration retention;
        private int maxCheckpointsPerSession = 10;
        private Clock clock = Clock.systemUTC();
        private long cacheSize = 1_000;

        private Builder(StorageBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** How often the engine saves a running session; {@link Duration#ZERO} (the default) = every step. */
        public Builder autoSaveInterval(Duration interval) {
            Objects.requireNonNull(interval, "autoSaveInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("autoSaveInterval must not be negative, was " + interval);
            }
            this.autoSaveInterval = interval;
            return this;
        }

        /** Whether to gzip snapshots (default {@code false}); both forms are always readable. */
        public Builder compression(boolean enabled) {
            this.compression = enabled;
            return this;
        }

        /** Sessions untouched for longer are removed by {@link StateManager#purgeExpired()}; default: forever. */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be positive, was " + retention);
            }
            this.retention = retention;
            return this;
        }

        /** How many checkpoints to keep per session (default 10); the oldest are pruned. */
        public Builder maxCheckpointsPerSession(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCheckpointsPerSession must be positive, was " + max);
            }
            this.maxCheckpointsPerSession = max;
            return this;
        }

        /** The clock for retention and restore timestamps (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How many decoded snapshots to keep in memory (default 1,000; 0 disables the cache). */
        public Builder cacheSize(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("cacheSize must not be negative, was " + size);
            }
            this.cacheSize = size;
            return this;
        }

        public StateManager build() {
            return new StateManager(this);
        }
    }
}
