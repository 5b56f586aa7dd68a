package dev.orchestra4j.state.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.Redactor;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.UnreadableStateException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes {@link SessionSnapshot}s and journal events to bytes and back, through the {@link Redactor};
 * thread-safe. A snapshot is {@code "O4JS"}, an encoding byte ({@code 'c'} plain JSON, {@code 'g'}
 * gzip), a CRC32C of everything after it, then the body; the checksum is verified before anything is
 * parsed. In the body each long text is written once ({@link RepeatedText}: a state holds an agent's text in
 * several places). The private mapper registers no modules, has no polymorphic typing, and reads whatever it
 * writes: no limit on string, number or name length, and the same nesting limit as writing.
 */
public final class SnapshotCodec {

    /**
     * The field a journal event's object ends with when the redactor changed any of its values ({@code true}); read
     * back as {@link dev.orchestra4j.state.JournalEvent#redacted()}, never part of the event's data.
     */
    public static final String REDACTED = "@redacted";

    private static final byte[] MAGIC = {'O', '4', 'J', 'S'};
    private static final byte PLAIN = 'c';
    private static final byte GZIP = 'g';
    private static final int CRC_OFFSET = MAGIC.length + 1;
    private static final int HEADER_LENGTH = CRC_OFFSET + 4;

    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNumberLength(Integer.MAX_VALUE)
                            .maxNameLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .deactivateDefaultTyping()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private final RedactingWriter writer;
    private final ScratchBuffers scratch =
            new ScratchBuffers(Math.max(2, Runtime.getRuntime().availableProcessors()));

    /** A codec that stores everything as it is. */
    public SnapshotCodec() {
        this(Redactor.none());
    }

    public SnapshotCodec(Redactor redactor) {
        this.writer = new RedactingWriter(mapper, redactor);
    }

    /**
     * Encodes the envelope (without its storage version), gzip-compressed if {@code compress}.
     *
     * @throws IllegalArgumentException naming the session when its payload cannot be written as JSON (it nests deeper
     *     than Jackson's limit of 1,000 levels, say)
     */
    public byte[] encode(SessionSnapshot snapshot, boolean compress) {
        ObjectNode envelope = EnvelopeFields.toJson(snapshot, mapper.getNodeFactory());
        ScratchBuffers.Buffer bytes = scratch.take();
        try {
            bytes.writeBytes(MAGIC);
            bytes.write(compress ? GZIP : PLAIN);
            bytes.writeBytes(new byte[4]);
            try (OutputStream out = compress ? new GZIPOutputStream(bytes, 8192) : bytes;
                    JsonGenerator generator = RepeatedText.over(mapper.createGenerator(out))) {
                writeEnvelope(generator, envelope);
            } catch (IOException e) {
                // the bytes go to memory: what fails is the document (too deep, say), not storage
                throw new IllegalArgumentException(
                        "session '" + snapshot.sessionId() + "' cannot be written as JSON: "
                                + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
                        e);
            } catch (StateException e) {
                throw new StateException("Cannot encode session '" + snapshot.sessionId() + "': " + e.getMessage(), e);
            }
            byte[] encoded = bytes.toByteArray();
            ByteBuffer.wrap(encoded).putInt(CRC_OFFSET, checksum(encoded));
            return encoded;
        } finally {
            scratch.release(bytes);
        }
    }

    /**
     * Encodes one journal event as JSON, through the redactor, marked {@value #REDACTED} when it changed any value;
     * {@code subject} names it in messages.
     *
     * @throws IllegalArgumentException when the event holds the field {@value #REDACTED} itself
     */
    public byte[] encodeEvent(JsonNode event, String subject) {
        if (event.has(REDACTED)) {
            throw new IllegalArgumentException(subject + " holds the field '" + REDACTED
                    + "', which marks an event the redactor changed; name it differently");
        }
        ScratchBuffers.Buffer bytes = scratch.take();
        try {
            try (JsonGenerator generator = mapper.createGenerator(bytes)) {
                if (writer.isActive()) {
                    writer.writeDocument(generator, event, REDACTED);
                } else {
                    mapper.writeTree(generator, event);
                }
            } catch (IOException e) {
                throw new StateException("Cannot encode " + subject, e);
            } catch (StateException e) {
                throw new StateException("Cannot encode " + subject + ": " + e.getMessage(), e);
            }
            return bytes.toByteArray();
        } finally {
            scratch.release(bytes);
        }
    }

    /**
     * An event the caller wrote as JSON, as it is to be stored: the same bytes when no redactor is set (after a
     * check that they hold a JSON object), else read and written again through the redactor.
     *
     * @throws IllegalArgumentException naming {@code subject} when the bytes are not a JSON object
     */
    public byte[] encodeEncodedEvent(byte[] json, String subject) {
        if (!isObject(json)) {
            throw new IllegalArgumentException(subject + " must be one JSON object, was " + json.length + " bytes"
                    + (json.length == 0 ? "" : " starting with '" + (char) (json[0] & 0xff) + "'"));
        }
        if (!writer.isActive()) {
            return json;
        }
        JsonNode tree = decodeEvent(json, subject);
        if (!tree.isObject()) {
            throw new IllegalArgumentException(subject + " must be one JSON object, was " + tree.getNodeType());
        }
        return encodeEvent(tree, subject);
    }

    /** A cheap check: the first and last non-blank bytes are braces (the store still parses what it reads). */
    private static boolean isObject(byte[] json) {
        int first = 0;
        int last = json.length - 1;
        while (first <= last && Character.isWhitespace(json[first])) {
            first++;
        }
        while (last > first && Character.isWhitespace(json[last])) {
            last--;
        }
        return first < last && json[first] == '{' && json[last] == '}';
    }

    /**
     * Decodes an event written by {@link #encodeEvent}.
     *
     * @param subject what is being read, for messages, e.g. {@code "journal entry 3 of session 's-1'"}
     */
    public JsonNode decodeEvent(byte[] data, String subject) {
        try {
            return mapper.readTree(data);
        } catch (IOException e) {
            throw new UnreadableStateException(
                    "Cannot read " + subject + ": malformed JSON (" + e.getMessage() + ")", e);
        }
    }

    /** {@link #decodeEvent(byte[], String)} from a stream over the stored bytes (no copy of them). */
    public JsonNode decodeEvent(InputStream data, String subject) {
        try (data) {
            return mapper.readTree(data);
        } catch (IOException e) {
            throw new UnreadableStateException(
                    "Cannot read " + subject + ": malformed JSON (" + e.getMessage() + ")", e);
        }
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
        RepeatedText.resolve(root, subject);
        return new EnvelopeFields(root, subject).toSnapshot(sessionId, version);
    }

    private void writeEnvelope(JsonGenerator generator, ObjectNode envelope) throws IOException {
        if (!writer.isActive()) {
            mapper.writeTree(generator, envelope);
            return;
        }
        JsonNode payload = envelope.remove(EnvelopeFields.PAYLOAD);
        generator.writeStartObject();
        for (var field : envelope.properties()) {
            generator.writeFieldName(field.getKey());
            mapper.writeTree(generator, field.getValue());
        }
        generator.writeFieldName(EnvelopeFields.PAYLOAD);
        writePayload(generator, payload);
        generator.writeEndObject();
    }

    private void writePayload(JsonGenerator generator, JsonNode payload) throws IOException {
        if (writer.isActive()) {
            writer.write(generator, payload, new StringBuilder());
        } else {
            mapper.writeTree(generator, payload);
        }
    }

    private JsonNode readTree(byte[] data, String subject) {
        try (InputStream body = body(data, subject)) {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                throw new UnreadableStateException("Cannot read " + subject + ": the envelope is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new UnreadableStateException(
                    "Cannot read " + subject + ": malformed JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new UnreadableStateException("Cannot read " + subject + ": corrupt or truncated gzip data", e);
        }
    }

    private static InputStream body(byte[] data, String subject) throws IOException {
        if (data.length < HEADER_LENGTH || !hasMagic(data)) {
            throw new UnreadableStateException(
                    "Cannot read " + subject + ": not an Orchestra4j snapshot (missing 'O4JS' header)");
        }
        byte encoding = data[MAGIC.length];
        if (encoding != PLAIN && encoding != GZIP) {
            throw new UnreadableStateException("Cannot read " + subject + ": unknown encoding byte " + encoding
                    + " after the header (snapshots written before checksums were added cannot be read)");
        }
        if (ByteBuffer.wrap(data).getInt(CRC_OFFSET) != checksum(data)) {
            throw new UnreadableStateException(
                    "Cannot read " + subject + ": its CRC32C checksum does not match the stored"
                            + " bytes; the snapshot was damaged after it was written");
        }
        var in = new ByteArrayInputStream(data, HEADER_LENGTH, data.length - HEADER_LENGTH);
        return encoding == GZIP ? new GZIPInputStream(in, 8192) : in;
    }

    /** The CRC32C of the encoding byte and the body. */
    private static int checksum(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data, MAGIC.length, 1);
        crc.update(data, HEADER_LENGTH, data.length - HEADER_LENGTH);
        return (int) crc.getValue();
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
