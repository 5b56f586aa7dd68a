package dev.orchestra4j.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The envelope of one session's durable state. {@code payload} is the engine's own state (branches,
 * memories, barriers, questions, counters, trace) and opaque to this module; {@code topologyJson} and
 * {@code topologyDigest} let a fresh JVM rebuild and verify the topology.
 *
 * <p>{@code version} is the storage version the snapshot was read at ({@code 0} for a session that was
 * never saved); {@link StateManager#saveSession} writes only if storage still holds that version. The
 * payload is a mutable Jackson tree: do not change it after handing it to the {@link StateManager}
 * (snapshots served from the manager's cache are deep copies).
 *
 * <p>{@code journalSequence} is the last journal event this snapshot already contains ({@code 0}: none);
 * the session's state is this snapshot plus the events after it ({@link StateManager#readEvents}).
 */
public record SessionSnapshot(
        int schemaVersion,
        String sessionId,
        long version,
        String status,
        Instant createdAt,
        Instant updatedAt,
        String topologyJson,
        String topologyDigest,
        JsonNode payload,
        long journalSequence) {

    /** The schema version this library writes and the newest it can read. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    public SessionSnapshot {
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be positive, was " + schemaVersion);
        }
        Ids.requireSessionId(sessionId);
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, was " + version);
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(topologyJson, "topologyJson");
        Objects.requireNonNull(topologyDigest, "topologyDigest");
        Objects.requireNonNull(payload, "payload");
        if (payload.isMissingNode()) {
            throw new IllegalArgumentException("payload must be a JSON value (use NullNode for none), was missing");
        }
        if (journalSequence < 0) {
            throw new IllegalArgumentException("journalSequence must not be negative, was " + journalSequence);
        }
    }

    /** A snapshot that covers no journal entries ({@code journalSequence} 0). */
    public SessionSnapshot(
            int schemaVersion,
            String sessionId,
            long version,
            String status,
            Instant createdAt,
            Instant updatedAt,
            String topologyJson,
            String topologyDigest,
            JsonNode payload) {
        this(schemaVersion, sessionId, version, status, createdAt, updatedAt, topologyJson, topologyDigest, payload, 0);
    }

    /** A snapshot of a session that has never been saved: current schema, version 0. */
    public static SessionSnapshot create(
            String sessionId,
            String status,
            Instant now,
            String topologyJson,
            String topologyDigest,
            JsonNode payload) {
        return new SessionSnapshot(
                CURRENT_SCHEMA_VERSION, sessionId, 0, status, now, now, topologyJson, topologyDigest, payload);
    }

    public SessionSnapshot withVersion(long newVersion) {
        return new SessionSnapshot(
                schemaVersion,
                sessionId,
                newVersion,
                status,
                createdAt,
                updatedAt,
                topologyJson,
                topologyDigest,
                payload,
                journalSequence);
    }

    public SessionSnapshot withStatus(String newStatus) {
        return new SessionSnapshot(
                schemaVersion,
                sessionId,
                version,
                newStatus,
                createdAt,
                updatedAt,
                topologyJson,
                topologyDigest,
                payload,
                journalSequence);
    }

    public SessionSnapshot withUpdatedAt(Instant newUpdatedAt) {
        return new SessionSnapshot(
                schemaVersion,
                sessionId,
                version,
                status,
                createdAt,
                newUpdatedAt,
                topologyJson,
                topologyDigest,
                payload,
                journalSequence);
    }

    public SessionSnapshot withPayload(JsonNode newPayload) {
        return new SessionSnapshot(
                schemaVersion,
                sessionId,
                version,
                status,
                createdAt,
                updatedAt,
                topologyJson,
                topologyDigest,
                newPayload,
                journalSequence);
    }

    /**
     * This snapshot stamped as covering the session's journal up to and including {@code sequence}: on
     * resume, only events after it are replayed (see {@link StateManager#saveSnapshot}).
     */
    public SessionSnapshot withJournalSequence(long sequence) {
        return new SessionSnapshot(
                schemaVersion,
                sessionId,
                version,
                status,
                createdAt,
                updatedAt,
                topologyJson,
                topologyDigest,
                payload,
                sequence);
    }

    /** This snapshot with a deep copy of its payload, safe to hand to code that may mutate it. */
    public SessionSnapshot deepCopy() {
        return withPayload(payload.deepCopy());
    }
}
