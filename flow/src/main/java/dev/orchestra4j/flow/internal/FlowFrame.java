package dev.orchestra4j.flow.internal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.orchestra4j.core.Arrival;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The payload every compiled node receives and hands on: the current data, every step's latest output and the loop
 * counters. It is the branch input, so snapshots hold it and a flow resumed in a fresh JVM has all of it; after a
 * resume it comes back as a JSON map (tagged {@code @flow}) and {@link #of} reads it again. Immutable; each change
 * copies only the map it changes.
 */
public final class FlowFrame {

    /** The tag key of a frame read back from JSON. */
    public static final String TAG = "@flow";

    private final String flow;
    private final Object data;
    private final Map<String, Object> outputs;
    private final Map<String, Integer> counters;

    /** Trusts its maps: callers pass fresh unmodifiable ones. */
    private FlowFrame(String flow, Object data, Map<String, Object> outputs, Map<String, Integer> counters) {
        this.flow = Objects.requireNonNull(flow, "flow");
        this.data = Objects.requireNonNull(data, "data");
        this.outputs = outputs;
        this.counters = counters;
    }

    /** A frame read back from JSON (copies everything). */
    @JsonCreator
    public static FlowFrame restore(
            @JsonProperty(TAG) String flow,
            @JsonProperty("data") Object data,
            @JsonProperty("outputs") Map<String, Object> outputs,
            @JsonProperty("counters") Map<String, Integer> counters) {
        return new FlowFrame(
                flow,
                data == null ? Map.of() : data,
                outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs)),
                counters == null ? Map.of() : Map.copyOf(counters));
    }

    /** A fresh frame holding the flow's input. */
    public static FlowFrame start(String flow, Object input) {
        return new FlowFrame(flow, input, Map.of(), Map.of());
    }

    /**
     * Reads the frame out of a node's input: a frame as is, a frame read back from JSON, the merge of a barrier's
     * arrivals, or — at the entry node — a new frame around the raw input.
     */
    public static FlowFrame of(String flow, Object input) {
        if (input instanceof FlowFrame frame) {
            return frame;
        }
        if (input instanceof Map<?, ?> map && map.containsKey(TAG)) {
            return FlowJson.MAPPER.convertValue(map, FlowFrame.class);
        }
        if (input instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Arrival) {
            return merge(
                    flow,
                    list.stream().map(a -> of(flow, ((Arrival) a).value())).toList());
        }
        return start(flow, input);
    }

    /** Frames joined at a barrier: outputs and counters united (the highest counter wins), data of the last. */
    public static FlowFrame merge(String flow, List<FlowFrame> frames) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        Map<String, Integer> counters = new HashMap<>();
        Object data = Map.of();
        for (FlowFrame f : frames) {
            outputs.putAll(f.outputs);
            f.counters.forEach((k, v) -> counters.merge(k, v, Math::max));
            data = f.data;
        }
        return new FlowFrame(flow, data, Collections.unmodifiableMap(outputs), Map.copyOf(counters));
    }

    /** The id of the flow that made the frame (a tag that tells a frame from user data). */
    @JsonProperty(TAG)
    public String flow() {
        return flow;
    }

    /** The value flowing from step to step. */
    @JsonProperty("data")
    public Object data() {
        return data;
    }

    /** The latest output of each step (pipelines) or the context entry of each step (workflows, graphs). */
    @JsonProperty("outputs")
    public Map<String, Object> outputs() {
        return outputs;
    }

    /** Loop counters and the step number, by block id. */
    @JsonProperty("counters")
    public Map<String, Integer> counters() {
        return counters;
    }

    public FlowFrame withData(Object value) {
        return new FlowFrame(flow, value, outputs, counters);
    }

    /** This frame with {@code key}'s output set (moved to the end) and the data set to {@code newData}. */
    public FlowFrame withOutput(String key, Object output, Object newData) {
        return new FlowFrame(flow, newData, put(key, output), counters);
    }

    /** {@link #withOutput} and {@link #withCounter} at once. */
    public FlowFrame withOutput(String key, Object output, Object newData, String counter, int value) {
        return new FlowFrame(flow, newData, put(key, output), count(counter, value));
    }

    public int counter(String key) {
        return counters.getOrDefault(key, 0);
    }

    public FlowFrame withCounter(String key, int value) {
        return new FlowFrame(flow, data, outputs, count(key, value));
    }

    private Map<String, Object> put(String key, Object output) {
        Map<String, Object> copy = new LinkedHashMap<>(outputs);
        copy.remove(key);
        copy.put(key, output);
        return Collections.unmodifiableMap(copy);
    }

    private Map<String, Integer> count(String key, int value) {
        if (counters.isEmpty()) {
            return Map.of(key, value);
        }
        Map<String, Integer> copy = new HashMap<>(counters);
        copy.put(key, value);
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FlowFrame f
                && f.flow.equals(flow)
                && f.data.equals(data)
                && f.outputs.equals(outputs)
                && f.counters.equals(counters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flow, data, outputs, counters);
    }

    @Override
    public String toString() {
        return "FlowFrame[" + flow + ", data=" + data + ", outputs=" + outputs.keySet() + ", counters=" + counters
                + "]";
    }
}
