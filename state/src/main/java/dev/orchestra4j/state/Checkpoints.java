package dev.orchestra4j.state;

import dev.orchestra4j.state.internal.codec.SnapshotCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Creates, lists, prunes and reads the immutable checkpoints of sessions; see {@link CheckpointId}. */
final class Checkpoints {

    private static final int MAX_CREATE_ATTEMPTS = 100;

    private final StorageBackend backend;
    private final SnapshotCodec codec;
    private final int maxPerSession;

    Checkpoints(StorageBackend backend, SnapshotCodec codec, int maxPerSession) {
        this.backend = backend;
        this.codec = codec;
        this.maxPerSession = maxPerSession;
    }

    /** Copies the session's stored bytes (after checking they decode) into a new checkpoint, then prunes. */
    CheckpointInfo create(String sessionId, String name) {
        StoredValue current = backend.read(CheckpointId.sessionKey(sessionId))
                .orElseThrow(() ->
                        new StateException("Cannot checkpoint session '" + sessionId + "': it has no saved state"));
        byte[] bytes = current.value();
        codec.decode(bytes, "session '" + sessionId + "'", sessionId, current.version());
        long sequence = nextSequence(sessionId);
        for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++, sequence++) {
            CheckpointId id = new CheckpointId(sessionId, sequence, name);
            OptionalLong created = backend.compareAndSet(id.key(), 0, bytes);
            if (created.isPresent()) {
                prune(sessionId);
                StoredValue stored = backend.read(id.key()).orElse(current);
                return new CheckpointInfo(id.id(), sessionId, name, stored.updatedAt(), bytes.length);
            }
        }
        throw new StateException("Cannot checkpoint session '" + sessionId + "': " + MAX_CREATE_ATTEMPTS
                + " concurrent checkpoint writers won every race for a sequence number");
    }

    List<CheckpointInfo> list(String sessionId) {
        List<CheckpointInfo> infos = new ArrayList<>();
        for (CheckpointId id : ids(sessionId)) {
            Optional<StoredValue> stored = backend.read(id.key());
            stored.ifPresent(value ->
                    infos.add(new CheckpointInfo(id.id(), sessionId, id.name(), value.updatedAt(), value.size())));
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

    /** Deletes every checkpoint of the session; returns how many were deleted. */
    int deleteAll(String sessionId) {
        int deleted = 0;
        for (CheckpointId id : ids(sessionId)) {
            deleted += backend.delete(id.key()) ? 1 : 0;
        }
        return deleted;
    }

    private void prune(String sessionId) {
        List<CheckpointId> ids = ids(sessionId);
        for (int i = 0; i < ids.size() - maxPerSession; i++) {
            backend.delete(ids.get(i).key());
        }
    }

    private long nextSequence(String sessionId) {
        List<CheckpointId> ids = ids(sessionId);
        return ids.isEmpty() ? 1 : ids.getLast().sequence() + 1;
    }

    /** The session's checkpoints, oldest first; keys that do not parse are skipped. */
    private List<CheckpointId> ids(String sessionId) {
        List<CheckpointId> ids = new ArrayList<>();
        for (String key : backend.list(CheckpointId.checkpointsPrefix(sessionId))) {
            try {
                ids.add(CheckpointId.fromKey(key));
            } catch (IllegalArgumentException foreignKey) {
                // not written by this manager; leave it alone
            }
        }
        ids.sort(Comparator.comparingLong(CheckpointId::sequence));
        return ids;
    }
}
