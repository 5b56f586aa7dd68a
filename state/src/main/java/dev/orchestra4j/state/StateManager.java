package dev.orchestra4j.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.state.internal.Keys;
import dev.orchestra4j.state.internal.codec.SnapshotCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves, loads, journals, checkpoints and restores {@link SessionSnapshot}s on a {@link StorageBackend}.
 *
 * <p>Every save is a compare-and-set on the snapshot's {@link SessionSnapshot#version() version}: a writer
 * holding a stale snapshot gets a {@link ConcurrentSessionModificationException} and nothing is written.
 * Between snapshots, a session's owner records its progress as small JSON events in the session's
 * journal ({@link #appendEvents}), fenced by the last event sequence, and now and then folds them into a
 * snapshot ({@link #saveSnapshot}, which also drops the covered events); the session's state is its
 * snapshot plus the events after the snapshot's {@link SessionSnapshot#journalSequence()}. Snapshots and
 * events carry a CRC32C: damaged data is a {@link StateException} naming the session, never read.
 * Everything stored passes the {@link Builder#redactor(Redactor) redactor} first.
 *
 * <p>Storage is the source of truth: every load reads storage. A bounded Caffeine cache of decoded
 * snapshots, filled on load and dropped on every save, spares the decoding when the stored bytes are
 * exactly those it was filled from (same version and checksum), so it never serves data that storage no
 * longer holds, whichever process wrote it.
 *
 * <p>Layout: a session (snapshot and journal) lives under the key {@code sessions/<sessionId>}, its
 * checkpoints under {@code checkpoints/<sessionId>/<sequence>-<name>}; a checkpoint id is {@code
 * "<sessionId>/<sequence>-<name>"}. A checkpoint copies the session's stored snapshot: events journaled
 * after it are not part of it, so compact first ({@link #saveSnapshot}) to include them. Session ids and
 * checkpoint names are 1 to 128 characters of {@code [A-Za-z0-9._-]}, not "." or "..". Thread-safe.
 * Closing the manager closes its backend.
 */
public final class StateManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateManager.class);
    private static final Duration MAX_PURGE_INTERVAL = Duration.ofHours(1);
    /** The fence of a save that is not fenced by the journal. */
    private static final long UNFENCED = -1;

    private final StorageBackend backend;
    private final Duration autoSaveInterval;
    private final Duration heartbeatInterval;
    private final Duration leaseTimeout;
    private final boolean compression;
    private final @Nullable Duration retention;
    private final int maxCheckpointsPerSession;
    private final Clock clock;
    private final long cacheSize;
    private final Redactor redactor;
    private final SnapshotCodec codec;
    private final Checkpoints checkpoints;
    private final SnapshotCache cache;
    private final EventJournal journal;
    private final EventJournal recordings;
    private final AtomicReference<Instant> nextPurge = new AtomicReference<>(Instant.MIN);

    /** A manager with the defaults: save after every step, no compression, keep forever, 10 checkpoints. */
    public StateManager(StorageBackend backend) {
        this(builder(backend));
    }

    private StateManager(Builder builder) {
        this.backend = builder.backend;
        this.autoSaveInterval = builder.autoSaveInterval;
        this.heartbeatInterval = builder.heartbeatInterval;
        this.leaseTimeout = builder.leaseTimeout;
        this.compression = builder.compression;
        this.retention = builder.retention;
        this.maxCheckpointsPerSession = builder.maxCheckpointsPerSession;
        this.clock = builder.clock;
        this.cacheSize = builder.cacheSize;
        this.redactor = builder.redactor;
        this.codec = new SnapshotCodec(redactor);
        this.checkpoints = new Checkpoints(backend, codec, maxCheckpointsPerSession, clock);
        this.journal = new EventJournal(backend, codec);
        this.recordings = new EventJournal(backend, codec, CheckpointId::recordingKey);
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
     * @throws IllegalArgumentException if the payload cannot be written as JSON (nested deeper than 1,000 levels);
     *     nothing was written
     */
    public long saveSession(SessionSnapshot snapshot) {
        return save(snapshot).version();
    }

    /** Like {@link #saveSession} and reports the stored size and the time spent, for metrics. */
    public SaveResult save(SessionSnapshot snapshot) {
        return store(snapshot, UNFENCED);
    }

    /**
     * Like {@link #save(SessionSnapshot)}, fenced by the session's journal: the snapshot is saved only if, besides
     * the version, the journal's last sequence is still {@code expectedLastSequence} — the sequence this owner knows,
     * as for its next {@link #appendEvents append}. Both are checked atomically with the write, by every built-in
     * backend and across processes ({@link StorageBackend#compareAndSet(String, long, byte[], long)}), so an owner
     * that another one took over (its claim appended to the journal) cannot save the session any more, even while
     * the snapshot's version still matches. The snapshot's {@link SessionSnapshot#journalSequence() journalSequence}
     * is stored as given.
     *
     * @throws ConcurrentSessionModificationException if another owner appended to the journal since (a {@linkplain
     *     ConcurrentSessionModificationException#journal journal conflict}: its versions are the sequences), or
     *     another writer saved, restored or deleted the session since; nothing was written either way
     * @throws IllegalArgumentException if {@code expectedLastSequence} is negative, or the payload cannot be written
     *     as JSON (nested deeper than 1,000 levels); nothing was written
     */
    public SaveResult save(SessionSnapshot snapshot, long expectedLastSequence) {
        return store(snapshot, Keys.requireSequence("expectedLastSequence", expectedLastSequence));
    }

    /** Saves {@code snapshot} by compare-and-set, fenced by the journal unless {@code fence} is {@link #UNFENCED}. */
    private SaveResult store(SessionSnapshot snapshot, long fence) {
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
            written = fence == UNFENCED
                    ? backend.compareAndSet(key, snapshot.version(), bytes)
                    : backend.compareAndSet(key, snapshot.version(), bytes, fence);
        } catch (ConcurrentSessionModificationException e) {
            cache.invalidate(sessionId);
            // a fenced write's conflict is the journal's: reported for the session, like a refused append
            throw fence == UNFENCED
                    ? e
                    : ConcurrentSessionModificationException.journal(sessionId, e.expectedVersion(), e.actualVersion());
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
        cache.invalidate(sessionId);
        purgeIfDue();
        return new SaveResult(sessionId, version, bytes.length, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Appends events to the session's journal, numbered {@code expectedLastSequence + 1}, {@code + 2}, …,
     * and returns the new last sequence. Each event passes the {@link Builder#redactor redactor} and is
     * stored as JSON with a CRC32C; one the redactor changed is read back {@link JournalEvent#redacted()
     * redacted} (the mark is a last field {@code "@redacted"}, which an event must not hold itself). The append happens only if the journal's last sequence is still
     * {@code expectedLastSequence} ({@code 0} for a session that never appended): the sequence is the
     * owner's fencing token, checked atomically by every backend, also across processes.
     *
     * @throws ConcurrentSessionModificationException if another owner appended since (nothing written)
     */
    public long appendEvents(String sessionId, long expectedLastSequence, List<? extends JsonNode> events) {
        return journal.append(Ids.requireSessionId(sessionId), expectedLastSequence, events);
    }

    /**
     * Like {@link #appendEvents}, for events the caller already wrote as JSON (each one JSON object, UTF-8), so
     * that a journal entry is written once and its size is known without encoding it again. The bytes are
     * stored as they are (the backend keeps its own copy; the arrays stay the caller's) unless a {@link
     * Builder#redactor redactor} is set: the events are then read and pass it like every event.
     *
     * @throws IllegalArgumentException if an event is not a JSON object (nothing written)
     * @throws ConcurrentSessionModificationException if another owner appended since (nothing written)
     */
    public long appendEncodedEvents(String sessionId, long expectedLastSequence, List<byte[]> events) {
        return journal.appendEncoded(Ids.requireSessionId(sessionId), expectedLastSequence, events);
    }

    /**
     * The session's journal events after {@code afterSequence}, in order; to resume a session, load its
     * snapshot and apply {@code readEvents(sessionId, snapshot.journalSequence())}.
     *
     * @throws StateException if a stored event is damaged (the message names the session and the sequence)
     */
    public List<JournalEvent> readEvents(String sessionId, long afterSequence) {
        return journal.read(Ids.requireSessionId(sessionId), afterSequence);
    }

    /** The sequence of the session's last journal event ({@code 0} if none), the next append's fence. */
    public long lastEventSequence(String sessionId) {
        return journal.last(Ids.requireSessionId(sessionId));
    }

    /**
     * Appends events to the session's <em>recording</em>: a second journal of the session, kept under {@code
     * recordings/<sessionId>}, that compaction never truncates, so that a finished run can be replayed, forked and
     * compared step by step. Events pass the {@link Builder#redactor redactor} like every journal event; the append
     * is fenced by {@code expectedLastSequence} like {@link #appendEvents}. Deleted with the session.
     *
     * @throws ConcurrentSessionModificationException if another writer appended since (nothing written)
     */
    public long appendRecording(String sessionId, long expectedLastSequence, List<? extends JsonNode> events) {
        return recordings.append(Ids.requireSessionId(sessionId), expectedLastSequence, events);
    }

    /** The session's recording events after {@code afterSequence}, in order (empty when nothing was recorded). */
    public List<JournalEvent> readRecording(String sessionId, long afterSequence) {
        return recordings.read(Ids.requireSessionId(sessionId), afterSequence);
    }

    /** The sequence of the session's last recording event ({@code 0} if none), the next append's fence. */
    public long lastRecordingSequence(String sessionId) {
        return recordings.last(Ids.requireSessionId(sessionId));
    }

    /**
     * Compaction: saves {@code snapshot} (like {@link #save}) stamped as covering the journal through
     * {@code throughSequence}, then drops the journal events it covers. A crash between the two steps is
     * safe: the stamped snapshot is stored first, and replay reads only events after its {@link
     * SessionSnapshot#journalSequence() journalSequence}.
     *
     * @throws ConcurrentSessionModificationException if another writer saved the session since
     * @throws IllegalArgumentException if {@code throughSequence} is beyond the journal's last event
     */
    public SaveResult saveSnapshot(SessionSnapshot snapshot, long throughSequence) {
        if (throughSequence < 0) {
            throw new IllegalArgumentException("throughSequence must not be negative, was " + throughSequence);
        }
        long last = lastEventSequence(snapshot.sessionId());
        if (throughSequence > last) {
            throw new IllegalArgumentException("throughSequence " + throughSequence + " is beyond the last event "
                    + last + " of session '" + snapshot.sessionId() + "'; events appended later would be skipped");
        }
        SaveResult result = save(snapshot.withJournalSequence(throughSequence));
        journal.truncate(snapshot.sessionId(), throughSequence);
        return result;
    }

    /**
     * Compaction by the session's owner: like {@link #saveSnapshot(SessionSnapshot, long)}, with the save fenced by
     * the journal like {@link #save(SessionSnapshot, long)}: it happens only if the journal's last sequence is still
     * {@code expectedLastSequence}, checked atomically with the write. The covered events are dropped only after a
     * save that went through.
     *
     * @throws ConcurrentSessionModificationException if another owner appended to the journal since, or another
     *     writer saved the session since (nothing was written, nothing dropped)
     * @throws IllegalArgumentException if {@code throughSequence} is beyond {@code expectedLastSequence}, or either
     *     is negative
     */
    public SaveResult saveSnapshot(SessionSnapshot snapshot, long throughSequence, long expectedLastSequence) {
        Keys.requireSequence("throughSequence", throughSequence);
        Keys.requireSequence("expectedLastSequence", expectedLastSequence);
        if (throughSequence > expectedLastSequence) {
            throw new IllegalArgumentException("throughSequence " + throughSequence + " is beyond the expected last"
                    + " event " + expectedLastSequence + " of session '" + snapshot.sessionId()
                    + "'; events appended later would be skipped");
        }
        SaveResult result = store(snapshot.withJournalSequence(throughSequence), expectedLastSequence);
        journal.truncate(snapshot.sessionId(), throughSequence);
        return result;
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

    /**
     * The checkpoint's content as it was taken, without restoring it (the session is not touched), for example to
     * start a fork of the session from it.
     *
     * @throws StateException if no checkpoint has this id or it cannot be decoded
     * @throws IllegalArgumentException if {@code checkpointId} is not a checkpoint id
     */
    public SessionSnapshot loadCheckpoint(String checkpointId) {
        return checkpoints.read(CheckpointId.parse(Objects.requireNonNull(checkpointId, "checkpointId")));
    }

    /** Deletes one checkpoint; returns {@code false} if it did not exist. */
    public boolean deleteCheckpoint(String checkpointId) {
        CheckpointId id = CheckpointId.parse(Objects.requireNonNull(checkpointId, "checkpointId"));
        return checkpoints.delete(id);
    }

    /** The session's checkpoints, oldest first. */
    public List<CheckpointInfo> listCheckpoints(String sessionId) {
        return checkpoints.list(Ids.requireSessionId(sessionId));
    }

    /**
     * Makes the session's current snapshot equal to the checkpoint's content, stamped with the manager's
     * clock as {@code updatedAt}, under a new version (whatever the session held before; a writer still
     * holding an older version then gets a conflict), and returns it. The journal's events of the
     * abandoned timeline are dropped and its fence moves on, so an owner still appending to it gets a
     * conflict too; the returned snapshot's {@code journalSequence} is where replay starts.
     *
     * @throws StateException if no checkpoint has this id or it cannot be decoded
     */
    public SessionSnapshot restoreCheckpoint(String checkpointId) {
        CheckpointId id = CheckpointId.parse(Objects.requireNonNull(checkpointId, "checkpointId"));
        String key = CheckpointId.sessionKey(id.sessionId());
        long last = backend.lastJournalSequence(key);
        SessionSnapshot restored =
                checkpoints.read(id).withUpdatedAt(clock.instant()).withJournalSequence(last + 1);
        cache.invalidate(id.sessionId());
        long version = backend.write(key, codec.encode(restored, compression));
        journal.fenceAfterRestore(id.sessionId(), last, id.id());
        return restored.withVersion(version);
    }

    /**
     * Like {@link #restoreCheckpoint(String)}, but only if the session is still stored at {@code
     * expectedVersion} (the version the caller checked; {@code 0}: the session must not be stored): a
     * compare-and-set, so a write by another process since that check is never overwritten.
     *
     * @throws ConcurrentSessionModificationException if the stored version is not {@code expectedVersion}
     *     (nothing was restored)
     * @throws StateException if no checkpoint has this id or it cannot be decoded
     */
    public SessionSnapshot restoreCheckpoint(String checkpointId, long expectedVersion) {
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative, was " + expectedVersion);
        }
        CheckpointId id = CheckpointId.parse(Objects.requireNonNull(checkpointId, "checkpointId"));
        String key = CheckpointId.sessionKey(id.sessionId());
        long last = backend.lastJournalSequence(key);
        SessionSnapshot restored =
                checkpoints.read(id).withUpdatedAt(clock.instant()).withJournalSequence(last + 1);
        cache.invalidate(id.sessionId());
        OptionalLong version = backend.compareAndSet(key, expectedVersion, codec.encode(restored, compression));
        if (version.isEmpty()) {
            long actual = backend.read(key).map(StoredValue::version).orElse(0L);
            throw new ConcurrentSessionModificationException(id.sessionId(), expectedVersion, actual);
        }
        journal.fenceAfterRestore(id.sessionId(), last, id.id());
        return restored.withVersion(version.getAsLong());
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
        boolean deletedRecording = backend.delete(CheckpointId.recordingKey(sessionId));
        cache.invalidate(sessionId);
        return deletedSession || deletedRecording || deletedCheckpoints > 0;
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
                    && !journal.hasEventsBeyond(sessionId, stored.get())
                    && backend.compareAndDelete(key, stored.get().version())) {
                cache.invalidate(sessionId);
                checkpoints.deleteAll(sessionId);
                backend.delete(CheckpointId.recordingKey(sessionId));
                purged++;
            }
        }
        return purged;
    }

    /** Runs {@link #purgeExpired()} on the calling thread if a retention is set and the last purge is due. */
    private void purgeIfDue() {
        if (retention == null) {
            return;
        }
        Instant now = clock.instant();
        Instant due = nextPurge.get();
        if (now.isBefore(due) || !nextPurge.compareAndSet(due, now.plus(purgeInterval()))) {
            return;
        }
        try {
            purgeExpired();
        } catch (RuntimeException e) {
            LOG.warn("Purging sessions older than {} failed; retrying after {}", retention, purgeInterval(), e);
        }
    }

    /** How often saves trigger {@link #purgeExpired()}: the retention, at most once an hour. */
    private Duration purgeInterval() {
        Duration retention = Objects.requireNonNull(this.retention);
        return retention.compareTo(MAX_PURGE_INTERVAL) < 0 ? retention : MAX_PURGE_INTERVAL;
    }

    /** The redactor every snapshot payload and journal event passes before it is stored. */
    public Redactor redactor() {
        return redactor;
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

    /**
     * How often a process running a session proves it still owns it: when it has written nothing for this long (a long
     * step, a wait), it re-writes the session's last snapshot. Measured on the session's clock.
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * How long a session stored RUNNING must stay unwritten before another process may recover it: a recoverer watches
     * it for this long (on the session's clock) and takes over only if no write appeared. Always longer than {@link
     * #heartbeatInterval()}.
     */
    public Duration leaseTimeout() {
        return leaseTimeout;
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
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration leaseTimeout = Duration.ofSeconds(3);
        private boolean compression;
        private @Nullable Duration retention;
        private int maxCheckpointsPerSession = 10;
        private Clock clock = Clock.systemUTC();
        private long cacheSize = 1_000;
        private Redactor redactor = Redactor.none();

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

        /**
         * How often a running session's owner re-writes it while it writes nothing else (default 1 s), so that a
         * recoverer elsewhere sees it is alive. Every process sharing the storage should use the same value.
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = requirePositive("heartbeatInterval", interval);
            return this;
        }

        /**
         * How long {@code recoverSession} watches a session stored RUNNING for a sign of life before taking it over
         * (default 3 s); must be longer than {@link #heartbeatInterval(Duration)} (checked by {@link #build()}).
         */
        public Builder leaseTimeout(Duration timeout) {
            this.leaseTimeout = requirePositive("leaseTimeout", timeout);
            return this;
        }

        private static Duration requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        /** Whether to gzip snapshots (default {@code false}); both forms are always readable. */
        public Builder compression(boolean enabled) {
            this.compression = enabled;
            return this;
        }

        /**
         * Sessions untouched for longer are removed with their checkpoints and journals (default: kept
         * forever). The manager purges by itself: a save runs {@link StateManager#purgeExpired()} on its
         * own thread when the last purge is older than the retention (at most once an hour); call it
         * yourself, for example from a scheduler, to purge on a fixed schedule.
         */
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

        /**
         * The {@link Redactor} every snapshot payload and journal event passes before it is stored
         * (default: {@link Redactor#none()}, store everything).
         */
        public Builder redactor(Redactor redactor) {
            this.redactor = Objects.requireNonNull(redactor, "redactor");
            return this;
        }

        /**
         * @throws IllegalStateException when {@code leaseTimeout} is not longer than {@code heartbeatInterval}: a live
         *     owner could then look dead
         */
        public StateManager build() {
            if (leaseTimeout.compareTo(heartbeatInterval) <= 0) {
                throw new IllegalStateException("leaseTimeout (" + leaseTimeout
                        + ") must be longer than heartbeatInterval (" + heartbeatInterval
                        + "), or a live owner could look dead; make it about three heartbeats");
            }
            return new StateManager(this);
        }
    }
}
