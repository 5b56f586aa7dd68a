package dev.orchestra4j.state.internal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.UnreadableStateException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/** The envelope's JSON fields, read one by one so that every problem names its field. */
final class EnvelopeFields {

    static final String SCHEMA_VERSION = "schemaVersion";
    static final String SESSION_ID = "sessionId";
    static final String STATUS = "status";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String TOPOLOGY_JSON = "topologyJson";
    static final String TOPOLOGY_DIGEST = "topologyDigest";
    static final String PAYLOAD = "payload";
    static final String JOURNAL_SEQUENCE = "journalSequence";
    private static final Set<String> KNOWN = Set.of(
            SCHEMA_VERSION,
            SESSION_ID,
            STATUS,
            CREATED_AT,
            UPDATED_AT,
            TOPOLOGY_JSON,
            TOPOLOGY_DIGEST,
            JOURNAL_SEQUENCE,
            PAYLOAD);

    private final JsonNode root;
    private final String subject;

    EnvelopeFields(JsonNode root, String subject) {
        this.root = root;
        this.subject = subject;
    }

    static ObjectNode toJson(SessionSnapshot s, JsonNodeFactory nodes) {
        ObjectNode json = nodes.objectNode();
        json.put(SCHEMA_VERSION, s.schemaVersion());
        json.put(SESSION_ID, s.sessionId());
        json.put(STATUS, s.status());
        json.put(CREATED_AT, s.createdAt().toString());
        json.put(UPDATED_AT, s.updatedAt().toString());
        json.put(TOPOLOGY_DIGEST, s.topologyDigest());
        json.put(TOPOLOGY_JSON, s.topologyJson());
        json.put(JOURNAL_SEQUENCE, s.journalSequence());
        json.set(PAYLOAD, s.payload());
        return json;
    }

    SessionSnapshot toSnapshot(String expectedSessionId, long version) {
        int schemaVersion = schemaVersion();
        rejectUnknownFields();
        String sessionId = text(SESSION_ID);
        if (!sessionId.equals(expectedSessionId)) {
            throw fail(SESSION_ID, "holds '" + sessionId + "', expected '" + expectedSessionId + "'");
        }
        JsonNode payload = root.get(PAYLOAD);
        if (payload == null) {
            throw new UnreadableStateException("Cannot read " + subject + ": missing field '" + PAYLOAD + "'");
        }
        try {
            return new SessionSnapshot(
                    schemaVersion,
                    sessionId,
                    version,
                    text(STATUS),
                    instant(CREATED_AT),
                    instant(UPDATED_AT),
                    text(TOPOLOGY_JSON),
                    text(TOPOLOGY_DIGEST),
                    payload,
                    journalSequence());
        } catch (IllegalArgumentException e) {
            throw new UnreadableStateException("Cannot read " + subject + ": " + e.getMessage(), e);
        }
    }

    private int schemaVersion() {
        JsonNode node = required(SCHEMA_VERSION);
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1) {
            throw fail(SCHEMA_VERSION, "must be a positive integer, was " + node);
        }
        int schemaVersion = node.intValue();
        if (schemaVersion > SessionSnapshot.CURRENT_SCHEMA_VERSION) {
            throw fail(
                    SCHEMA_VERSION,
                    "is " + schemaVersion + ", newer than the supported " + SessionSnapshot.CURRENT_SCHEMA_VERSION
                            + "; it was written by a newer Orchestra4j");
        }
        return schemaVersion;
    }

    /** Optional (absent in snapshots that cover no journal): 0 when missing. */
    private long journalSequence() {
        JsonNode node = root.get(JOURNAL_SEQUENCE);
        if (node == null) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw fail(JOURNAL_SEQUENCE, "must be a non-negative integer, was " + node);
        }
        return node.longValue();
    }

    private void rejectUnknownFields() {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                throw fail(name, "is not a known envelope field");
            }
        }
    }

    private String text(String field) {
        JsonNode node = required(field);
        if (!node.isTextual()) {
            throw fail(field, "must be a string, was " + node.getNodeType());
        }
        return node.textValue();
    }

    private Instant instant(String field) {
        String text = text(field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw fail(field, "must be an ISO-8601 instant, was '" + text + "'");
        }
    }

    private JsonNode required(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new UnreadableStateException("Cannot read " + subject + ": missing field '" + field + "'");
        }
        return node;
    }

    private StateException fail(String field, String problem) {
        return new UnreadableStateException("Cannot read " + subject + ": field '" + field + "' " + problem);
    }
}
