package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.state.StateException;

/** Reads fields, failing with a {@link StateException} that names the session and the field. */
final class SnapshotReader {
    final String sessionId;
    private final JsonNode root;

    SnapshotReader(String sessionId, JsonNode root) {
        this.sessionId = sessionId;
        this.root = root;
        if (!root.isObject()) {
            throw new StateException("snapshot of session '" + sessionId + "' has no engine state (payload is "
                    + root.getNodeType() + ")");
        }
    }

    JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isMissingNode()) {
            throw new StateException("snapshot of session '" + sessionId + "' is missing field '" + name + "'");
        }
        return v;
    }

    String text(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isTextual()) {
            throw new StateException("snapshot of session '" + sessionId + "': field '" + name + "' must be text, was "
                    + v.getNodeType());
        }
        return v.asText();
    }

    @org.jspecify.annotations.Nullable
    String optText(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    int integer(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.canConvertToInt()) {
            throw new StateException(
                    "snapshot of session '" + sessionId + "': field '" + name + "' must be an integer, was " + v);
        }
        return v.asInt();
    }

    boolean bool(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isBoolean()) {
            throw new StateException(
                    "snapshot of session '" + sessionId + "': field '" + name + "' must be true or false, was " + v);
        }
        return v.asBoolean();
    }

    JsonNode object(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isObject()) {
            throw new StateException("snapshot of session '" + sessionId + "': field '" + name
                    + "' must be an object, was " + v.getNodeType());
        }
        return v;
    }

    JsonNode array(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isArray()) {
            throw new StateException("snapshot of session '" + sessionId + "': field '" + name
                    + "' must be an array, was " + v.getNodeType());
        }
        return v;
    }

    <E extends Enum<E>> E enumValue(JsonNode n, String name, Class<E> type) {
        String value = text(n, name);
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new StateException(
                    "snapshot of session '" + sessionId + "': field '" + name + "' has unknown value '" + value + "'",
                    e);
        }
    }

    StateException corrupt(String field, Exception cause) {
        return new StateException(
                "snapshot of session '" + sessionId + "': field '" + field + "' is corrupt: " + cause.getMessage(),
                cause);
    }

    JsonNode root() {
        return root;
    }
}
