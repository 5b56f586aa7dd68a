package dev.orchestra4j.state.internal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Encodes {@link SessionSnapshot}s to bytes and back; stateless and thread-safe. */
public final class SnapshotCodec {

    private static final byte[] MAGIC = {'O', '4', 'J', 'S'};
    private static final byte PLAIN = 'j';
    private static final byte GZIP = 'z';
    private static final int HEADER_LENGTH = MAGIC.length + 1;

    private final JsonMapper mapper = JsonMapper.builder()
            .deactivateDefaultTyping()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Encodes the envelope (without its storage version), gzip-compressed if {@code compress}. */
    public byte[] encode(SessionSnapshot snapshot, boolean compress) {
        ObjectNode envelope = EnvelopeFields.toJson(snapshot, mapper.getNodeFactory());
        var bytes = new ByteArrayOutputStream(256);
        bytes.writeBytes(MAGIC);
        bytes.write(compress ? GZIP : PLAIN);
        try (OutputStream out = compress ? new GZIPOutputStream(bytes, 8192) : bytes) {
            mapper.writeValue(out, envelope);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode session '" + snapshot.sessionId() + "'", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes bytes written by {@link #encode}, whether compressed or not.
     *
     * @param subject what is being read, for messages, e.g. {@code "session 's-1'"}
     * @param sessionId the session the bytes must belong to
     * @param version the storage version to put into the snapshot
     * @throws StateException if the data is corrupt, truncated, incomplete or from a newer schema
     */
    public SessionSnapshot decode(byte[] data, String subject, String sessionId, long version) {
        JsonNode root = readTree(data, subject);
        return new EnvelopeFields(root, subject).toSnapshot(sessionId, version);
    }

    private JsonNode readTree(byte[] data, String subject) {
        try (InputStream body = body(data, subject)) {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                throw new StateException("Cannot read " + subject + ": the envelope is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new StateException("Cannot read " + subject + ": malformed JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new StateException("Cannot read " + subject + ": corrupt or truncated gzip data", e);
        }
    }

    private static InputStream body(byte[] data, String subject) throws IOException {
        if (data.length < HEADER_LENGTH || !hasMagic(data)) {
            throw new StateException(
                    "Cannot read " + subject + ": not an Orchestra4j snapshot (missing 'O4JS' header)");
        }
        var in = new ByteArrayInputStream(data, HEADER_LENGTH, data.length - HEADER_LENGTH);
        return switch (data[MAGIC.length]) {
            case PLAIN -> in;
            case GZIP -> new GZIPInputStream(in, 8192);
            default ->
                throw new StateException("Cannot read " + subject + ": unknown encoding byte " + data[MAGIC.length]
                        + " after the header");
        };
    }

    private static boolean hasMagic(byte[] data) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
