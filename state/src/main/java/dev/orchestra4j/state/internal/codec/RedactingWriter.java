package dev.orchestra4j.state.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orchestra4j.state.Redactor;
import dev.orchestra4j.state.StateException;
import java.io.IOException;
import java.util.Map;

/** Writes a JSON tree through a {@link Redactor}, node by node, without copying or changing the tree. */
final class RedactingWriter {

    private final JsonMapper mapper;
    private final Redactor redactor;

    RedactingWriter(JsonMapper mapper, Redactor redactor) {
        this.mapper = mapper;
        this.redactor = redactor;
    }

    boolean isActive() {
        return redactor != Redactor.none();
    }

    /**
     * Writes {@code node}, found at JSON Pointer {@code path}, and its members; whether the redactor changed any (a
     * replacement equal to the value, as a text rewritten where nothing matched, changes nothing).
     */
    boolean write(JsonGenerator out, JsonNode node, StringBuilder path) throws IOException {
        JsonNode stored = redacted(node, path);
        if (stored != node) {
            mapper.writeTree(out, stored);
            return !stored.equals(node);
        }
        return writeKept(out, node, path);
    }

    /** Writes {@code node}, which the redactor kept, and its members; whether it replaced any of them. */
    private boolean writeKept(JsonGenerator out, JsonNode node, StringBuilder path) throws IOException {
        if (node.isObject()) {
            out.writeStartObject();
            boolean replaced = writeMembers(out, node, path);
            out.writeEndObject();
            return replaced;
        }
        boolean replaced = false;
        if (node.isArray()) {
            int length = path.length();
            out.writeStartArray();
            for (int i = 0; i < node.size(); i++) {
                replaced |= write(out, node.get(i), path.append('/').append(i));
                path.setLength(length);
            }
            out.writeEndArray();
        } else {
            mapper.writeTree(out, node);
        }
        return replaced;
    }

    /**
     * Writes a document (a journal event) from its root; when it is an object the redactor kept and changed any of
     * its values, the object ends with one more field, {@code marker}: {@code true}.
     */
    void writeDocument(JsonGenerator out, JsonNode root, String marker) throws IOException {
        StringBuilder path = new StringBuilder();
        JsonNode stored = redacted(root, path);
        if (stored != root) {
            mapper.writeTree(out, stored);
            return;
        }
        if (!root.isObject()) {
            writeKept(out, root, path);
            return;
        }
        out.writeStartObject();
        if (writeMembers(out, root, path)) {
            out.writeBooleanField(marker, true);
        }
        out.writeEndObject();
    }

    private boolean writeMembers(JsonGenerator out, JsonNode object, StringBuilder path) throws IOException {
        int length = path.length();
        boolean replaced = false;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            out.writeFieldName(field.getKey());
            replaced |= write(out, field.getValue(), appendEscaped(path.append('/'), field.getKey()));
            path.setLength(length);
        }
        return replaced;
    }

    private JsonNode redacted(JsonNode node, StringBuilder path) {
        JsonNode stored;
        try {
            stored = redactor.redact(path.toString(), node);
        } catch (RuntimeException e) {
            throw new StateException("the redactor failed on path '" + path + "' (nothing was stored)", e);
        }
        if (stored == null) {
            throw new StateException("the redactor returned null for path '" + path
                    + "'; return the value itself to keep it (nothing was stored)");
        }
        return stored;
    }

    /** Appends a member name escaped as RFC 6901 asks: {@code '~'} as {@code ~0}, {@code '/'} as {@code ~1}. */
    private static StringBuilder appendEscaped(StringBuilder path, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '~' -> path.append("~0");
                case '/' -> path.append("~1");
                default -> path.append(c);
            }
        }
        return path;
    }
}
