package dev.orchestra4j.server.internal.events;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * One event of one stream: its id (1, 2, 3, … per stream; what {@code Last-Event-ID} refers to), its SSE event name
 * and its JSON data (one line). Encoded in the {@code text/event-stream} format once, when it is created: every
 * client of the stream writes the same bytes.
 */
public final class ServerEvent {

    private final long id;
    private final String type;
    private final String data;
    private final byte[] sse;

    public ServerEvent(long id, String type, String data) {
        this.id = id;
        this.type = requireNonNull(type, "type");
        this.data = requireNonNull(data, "data");
        if (type.indexOf('\n') >= 0 || type.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("event type must be one line, was '" + type + "'");
        }
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("event data must be one line (" + type + ")");
        }
        this.sse = ("id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    public long id() {
        return id;
    }

    public String type() {
        return type;
    }

    public String data() {
        return data;
    }

    /** The event in the {@code text/event-stream} format (shared: do not modify). */
    byte[] sseBytes() {
        return sse;
    }

    /** The event in the {@code text/event-stream} format. */
    public String toSse() {
        return new String(sse, StandardCharsets.UTF_8);
    }

    /** How it is stored in the stream's journal: {@code type}, a newline, {@code data}. */
    byte[] stored() {
        return (type + "\n" + data).getBytes(StandardCharsets.UTF_8);
    }

    /** The inverse of {@link #stored()}. */
    static ServerEvent fromStored(String stream, long id, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        if (nl < 0) {
            throw new dev.orchestra4j.state.StateException(
                    "stored event " + id + " of stream '" + stream + "' has no type line");
        }
        return new ServerEvent(id, text.substring(0, nl), text.substring(nl + 1));
    }

    @Override
    public String toString() {
        return "ServerEvent[id=" + id + ", type=" + type + "]";
    }
}
