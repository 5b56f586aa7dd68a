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

    /** Writes {@code node}, found at JSON Pointer {@code path}, and its members. */
    void write(JsonGenerator out, JsonNode node, StringBuilder path) throws IOException {
        JsonNode stored;
        try {
            stored = redactor.redact(path.toString(), node);
        } catch (RuntimeException e) {
            throw new StateException("the redactor failed on path '" + path + "' (nothing was stored)", e);
        }
        if (stored != node) {
            if (stored == null) {
                throw new StateException("the redactor returned null for path '" + path
                        + "'; return the value itself to keep it (nothing was stored)");
            }
            mapper.writeTree(out, stored);
            return;
        }
        int length = path.length();
        if (node.isObject()) {
            out.writeStartObject();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                out.writeFieldName(field.getKey());
                write(out, field.getValue(), appendEscaped(path.append('/'), field.getKey()));
                path.setLength(length);
            }
            out.writeEndObject();
        } else if (node.isArray()) {
            out.writeStartArray();
            for (int i = 0; i < node.size(); i++) {
                write(out, node.get(i), path.append('/').append(i));
                path.setLength(length);
            }
            out.writeEndArray();
        } else {
            mapper.writeTree(out, node);
        }
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
