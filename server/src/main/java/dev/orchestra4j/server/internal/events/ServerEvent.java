package dev.orchestra4j.server.internal.events;

import static java.util.Objects.requireNonNull;

/**
 * One event of one stream: its id (1, 2, 3, … per stream; what {@code Last-Event-ID} refers to), its SSE event name
 * and its JSON data (one line).
 */
public record ServerEvent(long id, String type, String data) {

    public ServerEvent {
        requireNonNull(type, "type");
        requireNonNull(data, "data");
    }

    /** The event in the {@code text/event-stream} format. */
    public String toSse() {
        return "id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n";
    }
}
