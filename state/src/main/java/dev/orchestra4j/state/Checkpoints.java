package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.codec.SnapshotCodec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Creates, lists, prunes and reads the immutable checkpoints of sessions; see {@link CheckpointId}. Next
 * to each checkpoint's key an empty child key {@code <checkpoint key>/<epoch micros>-<size>} records when
 * it was made and how big it is, so that listing is one key scan and reads no checkpoint. A checkpoint
 * without that child (a crash between the two writes) is listed by reading it.
 */
final class Checkpoints {

    private static final int MAX_CREATE_ATTEMPTS = 100;
    private static final byte[] EMPTY = {};

    /** A checkpoint found by a key scan, with its recorded time and size when it has them. */
    private record Listed(CheckpointId id, Optional<String> metaKey, Optional<Instant> createdAt, long size) {}

    private final StorageBackend backend;
    private final SnapshotCodec codec;
    private final int maxPerSession;
    private final Clock clock;

    Checkpoints(StorageBackend backend, SnapshotCodec codec, int maxPerSession, Clock clock) {
        this.backend = backend;
        this.codec = codec;
        this.maxPerSession = maxPerSession;
        this.clock = clock;
    }

    /** Copies the session's stored bytes (after checking they decode) into a new checkpoint, then prunes. */
    CheckpointInfo create(String sessionId, String name) {
        StoredValue current = backend.read(CheckpointId.sessionKey(sessionId))
                .orElseThrow(() ->
                        new StateException("Cannot checkpoint session '" + sessionId + "': it has no saved state"));
        byte[] bytes = current.value();
        codec.decode(bytes, "session '" + sessionId + "'", sessionId, current.version());
        List<Listed> existing = scan(sessionId);
        long sequence = existing.isEmpty() ? 1 : existing.getLast().id().sequence() + 1;
        for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++, sequence++) {
            CheckpointId id = new CheckpointId(sessionId, sequence, name);
            if (backend.compareAndSet(id.key(), 0, bytes).isPresent()) {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                backend.write(metaKey(id, now, bytes.length), EMPTY);
                prune(sessionId);
                return new CheckpointInfo(id.id(), sessionId, name, now, bytes.length);
            }
        }
        throw new StateException("Cannot checkpoint session '" + sessionId + "': " + MAX_CREATE_ATTEMPTS
                + " concurrent checkpoint writers won every race for a sequence number");
    }

    List<CheckpointInfo> list(String sessionId) {
        List<CheckpointInfo> infos = new ArrayList<>();
        for (Listed listed : scan(sessionId)) {
            CheckpointId id = listed.id();
            if (listed.createdAt().isPresent()) {
                infos.add(new CheckpointInfo(
                        id.id(), sessionId, id.name(), listed.createdAt().get(), listed.size()));
            } else {
                backend.read(id.key())
                        .ifPresent(value -> infos.add(
                                new CheckpointInfo(id.id(), sessionId, id.name(), value.updatedAt(), value.size())));
            }
        }
        return List.copyOf(infos);
    }

    /** Reads and decodes a checkpoint; an unknown id is a {@link StateException} naming it. */
    SessionSnapshot read(CheckpointId id) {
        StoredValue stored = backend.read(id.key())
                .orElseThrow(() -> new StateException("Unknown checkpoint '" + id.id() + "' of session '"
                        + id.sessionId() + "'; listCheckpoints shows the existing ones"));
        String subject = "checkpoint '" + id.id() + "' of session '" + id.sessionId() + "'";
        return codec.decode(stored.value(), subject, id.sessionId(), stored.version());
    }

    /** Deletes one checkpoint and its record; returns whether the checkpoint existed. */
    boolean delete(CheckpointId id) {
        for (String metaKey : backend.list(id.key() + "/")) {
            backend.delete(metaKey);
        }
        return backend.delete(id.key());
    }

    /** Deletes every checkpoint of the session; returns how many were deleted. */
    int deleteAll(String sessionId) {
        int deleted = 0;
        for (Listed listed : scan(sessionId)) {
            deleted += delete(listed) ? 1 : 0;
        }
        return deleted;
    }

    private boolean delete(Listed listed) {
        listed.metaKey().ifPresent(backend::delete);
        return backend.delete(listed.id().key());
    }

    private void prune(String sessionId) {
        List<Listed> listed = scan(sessionId);
        for (int i = 0; i < listed.size() - maxPerSession; i++) {
            delete(listed.get(i));
        }
    }

    /** The session's checkpoints from one key scan, oldest first; keys that do not parse are skipped. */
    private List<Listed> scan(String sessionId) {
        String prefix = CheckpointId.checkpointsPrefix(sessionId);
        Map<String, CheckpointId> ids = new TreeMap<>();
        Map<String, String> metaKeys = new TreeMap<>();
        for (String key : backend.list(prefix)) {
            int slash = key.indexOf('/', prefix.length());
            try {
                if (slash < 0) {
                    ids.put(key, CheckpointId.fromKey(key));
                } else {
                    metaKeys.put(key.substring(0, slash), key);
                }
            } catch (IllegalArgumentException foreignKey) {
                // not written by this manager; leave it alone
            }
        }
        List<Listed> listed = new ArrayList<>();
        ids.forEach((key, id) -> listed.add(listed(id, Optional.ofNullable(metaKeys.get(key)))));
        listed.sort(Comparator.comparingLong(l -> l.id().sequence()));
        return listed;
    }

    private static Listed listed(CheckpointId id, Optional<String> metaKey) {
        if (metaKey.isPresent()) {
            String meta = metaKey.get().substring(id.key().length() + 1);
            int dash = meta.indexOf('-');
            try {
                long micros = Long.parseLong(meta.substring(0, dash));
                long size = Long.parseLong(meta.substring(dash + 1));
                return new Listed(id, metaKey, Optional.of(Instant.EPOCH.plus(micros, ChronoUnit.MICROS)), size);
            } catch (NumberFormatException | IndexOutOfBoundsException foreignKey) {
                // not a record this manager wrote; fall back to reading the checkpoint
            }
        }
        return new Listed(id, metaKey, Optional.empty(), 0);
    }

    private static String metaKey(CheckpointId id, Instant createdAt, int size) {
        return id.key() + "/" + ChronoUnit.MICROS.between(Instant.EPOCH, createdAt) + "-" + size;
    }
}
