package dev.orchestra4j.state.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.UnreadableStateException;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each long text once per stored document (a snapshot's envelope, an engine's journal entry). A session's state holds
 * the same value in several places — a branch's input, the trace entry's input and output, a step record, the
 * outcome a replay needs — and an agent's text is most of a step's data; writing it once keeps a document
 * proportional to its distinct data, not to how many parts mention it.
 *
 * <p>While a JSON object is written through {@link #over}, a text of at least {@link #MIN_LENGTH} characters seen
 * before in the same document is written as {@code ""}, and the object gets one more field at its end, {@value
 * #FIELD}: each such place's JSON Pointer mapped to the pointer of the text's first place. Reading ({@link #resolve})
 * puts the texts back and removes the field, so that every reader sees the document as if each text had been written
 * in full. A document without the field (written before this, or with no long text twice) is read as it is. Only
 * the document's own schema may hold {@value #FIELD} (the envelope's, the journal entry's), never a user's value.
 *
 * <p>A place that no longer holds {@code ""} when read was changed after writing — by a {@link
 * dev.orchestra4j.state.Redactor} that sees a journal entry the engine wrote — and keeps what was stored there.
 */
public final class RepeatedText {

    /** The field that lists the repeats; not a field of any journal record. */
    public static final String FIELD = "repeats";

    /** Shorter texts are written where they occur: a repeat costs two pointers. */
    public static final int MIN_LENGTH = 128;

    private static final ScratchBuffers SCRATCH =
            new ScratchBuffers(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private RepeatedText() {}

    /** {@code value}, which {@code writer} writes as a JSON object, as bytes with each long text written once. */
    public static byte[] write(ObjectWriter writer, Object value) throws IOException {
        ScratchBuffers.Buffer bytes = SCRATCH.take();
        try {
            try (JsonGenerator generator = over(writer.createGenerator(bytes))) {
                writer.writeValue(generator, value);
            }
            return bytes.toByteArray();
        } finally {
            SCRATCH.release(bytes);
        }
    }

    /** A generator that writes through {@code generator} each long text of one document once. */
    public static JsonGenerator over(JsonGenerator generator) {
        return new Once(generator);
    }

    /**
     * Puts the texts of {@code document} back where {@link #over} left {@code ""}, in place, and removes {@value
     * #FIELD}; does nothing to a document without it, so it may be called again.
     *
     * @param subject what is read, for messages, e.g. {@code "journal entry 3 of session 's-1'"}
     * @throws StateException naming {@code subject} and the pointer when the field is malformed or a repeat refers to
     *     a place that holds no text
     */
    public static void resolve(JsonNode document, String subject) {
        if (!(document instanceof ObjectNode object) || !object.has(FIELD)) {
            return;
        }
        JsonNode repeats = object.remove(FIELD);
        if (!repeats.isObject()) {
            throw corrupt(subject, "'" + FIELD + "' is not an object");
        }
        for (Map.Entry<String, JsonNode> repeat : repeats.properties()) {
            JsonNode text = repeat.getValue().isTextual()
                    ? object.at(pointer(subject, repeat.getValue().asText()))
                    : null;
            if (text == null || !text.isTextual()) {
                throw corrupt(
                        subject,
                        "the repeat at '" + repeat.getKey() + "' refers to " + repeat.getValue() + ", which holds"
                                + " no text");
            }
            JsonPointer place = pointer(subject, repeat.getKey());
            JsonNode parent = object.at(place.head());
            if (parent instanceof ObjectNode fields
                    && isPlaceholder(fields.get(place.last().getMatchingProperty()))) {
                fields.set(place.last().getMatchingProperty(), text);
            } else if (parent instanceof ArrayNode items
                    && place.last().getMatchingIndex() >= 0
                    && isPlaceholder(items.get(place.last().getMatchingIndex()))) {
                items.set(place.last().getMatchingIndex(), text);
            }
            // else the redactor stored something else there (or removed the place): its choice stands
        }
    }

    private static boolean isPlaceholder(JsonNode node) {
        return node instanceof TextNode t && t.textValue().isEmpty();
    }

    private static JsonPointer pointer(String subject, String text) {
        try {
            JsonPointer pointer = JsonPointer.compile(text);
            if (pointer.matches()) {
                throw new IllegalArgumentException("it points at the whole entry");
            }
            return pointer;
        } catch (IllegalArgumentException e) {
            throw corrupt(subject, "'" + text + "' in '" + FIELD + "' is not a place in it: " + e.getMessage());
        }
    }

    private static StateException corrupt(String subject, String why) {
        return new UnreadableStateException("Cannot read " + subject + ": it is corrupt: " + why);
    }

    /**
     * The JSON Pointer (RFC 6901) of the value just written in {@code context}: what {@code
     * context.pathAsPointer().toString()} gives, built in one buffer (Jackson's builds a pointer object per segment,
     * about a fifth of a journal entry's encoding when it carries long texts).
     */
    static String pointer(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        StringBuilder out = new StringBuilder(48);
        appendPointer(out, context);
        return out.toString();
    }

    private static void appendPointer(StringBuilder out, JsonStreamContext context) {
        JsonStreamContext parent = context.getParent();
        if (parent != null && !parent.inRoot()) {
            appendPointer(out, parent);
        }
        out.append('/');
        if (context.inObject()) {
            String name = context.getCurrentName();
            if (name != null) {
                for (int i = 0; i < name.length(); i++) {
                    char ch = name.charAt(i);
                    if (ch == '~') {
                        out.append("~0");
                    } else if (ch == '/') {
                        out.append("~1");
                    } else {
                        out.append(ch);
                    }
                }
            }
        } else {
            out.append(context.getCurrentIndex());
        }
    }

    /** Writes a long text seen before as {@code ""} and remembers where; adds the list at the root's end. */
    private static final class Once extends JsonGeneratorDelegate {

        private final Map<String, String> first = new HashMap<>();
        private final Map<String, String> repeats = new LinkedHashMap<>();

        Once(JsonGenerator generator) {
            super(generator, false);
        }

        @Override
        public void writeString(String text) throws IOException {
            if (text == null || text.length() < MIN_LENGTH) {
                delegate.writeString(text);
                return;
            }
            String seen = first.get(text);
            delegate.writeString(seen == null ? text : "");
            // after the write: an array's context then holds this element's index
            String here = pointer(getOutputContext());
            if (seen == null) {
                first.put(text, here);
            } else {
                repeats.put(here, seen);
            }
        }

        @Override
        public void writeEndObject() throws IOException {
            if (!repeats.isEmpty() && getOutputContext().getParent().inRoot()) {
                // straight to the generator underneath: a pointer is never a repeat
                delegate.writeFieldName(FIELD);
                delegate.writeStartObject();
                for (Map.Entry<String, String> repeat : repeats.entrySet()) {
                    delegate.writeFieldName(repeat.getKey());
                    delegate.writeString(repeat.getValue());
                }
                delegate.writeEndObject();
                repeats.clear();
            }
            delegate.writeEndObject();
        }
    }
}
