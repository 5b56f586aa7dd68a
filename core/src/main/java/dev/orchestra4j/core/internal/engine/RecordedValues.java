package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Run values as the recording stores them (internal: for {@code dev.orchestra4j.core.internal.replay}): the same typed
 * JSON as snapshots, so that an agent's response read back from a recording has its Java types, and a stored
 * session's context as it was started.
 */
public final class RecordedValues {

    private RecordedValues() {}

    /** The mapper the codec uses. */
    public static ObjectMapper mapper() {
        return SnapshotValues.MAPPER;
    }

    /** {@code value} as typed JSON; an {@link IllegalArgumentException} when it is not writable as JSON. */
    public static JsonNode encode(@Nullable Object value) {
        return SnapshotValues.encode(value);
    }

    /** A value written by {@link #encode}, with its Java type. */
    public static @Nullable Object decode(JsonNode node) {
        return SnapshotValues.decode(node);
    }

    /** The context a stored session runs with (its original context, minus nothing). */
    public static Map<String, Object> storedContext(dev.orchestra4j.state.SessionSnapshot snapshot) {
        Map<String, Object> context = new LinkedHashMap<>();
        snapshot.payload().path("context").properties().forEach(e -> {
            Object value = SnapshotValues.decode(e.getValue());
            if (value != null) {
                context.put(e.getKey(), value);
            }
        });
        return context;
    }
}
