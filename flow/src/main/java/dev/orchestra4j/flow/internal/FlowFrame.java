package dev.orchestra4j.flow.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.orchestra4j.core.Arrival;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload every compiled node receives and hands on: the current data, every step's latest output and the loop
 * counters. It is the branch input, so snapshots hold it and a flow resumed in a fresh JVM has all of it; after a
 * resume it comes back as a JSON map (tagged {@code @flow}) and {@link #of} reads it again.
 *
 * @param flow the id of the flow that made the frame (a tag that tells a frame from user data)
 * @param data the value flowing from step to step
 * @param outputs the latest output of each step (pipelines) or the context entry of each step (workflows, graphs)
 * @param counters loop counters and the step number, by block id
 */
public record FlowFrame(
        @JsonProperty("@flow") String flow, Object data, Map<String, Object> outputs, Map<String, Integer> counters) {

    /** The tag key of a frame read back from JSON. */
    public static final String TAG = "@flow";

    public FlowFrame {
        outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        counters = Map.copyOf(counters);
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
        return new FlowFrame(flow, data, outputs, counters);
    }

    public FlowFrame withData(Object value) {
        return new FlowFrame(flow, value, outputs, counters);
    }

    /** This frame with {@code key}'s output set (replacing an earlier one) and the data set to {@code data}. */
    public FlowFrame withOutput(String key, Object output, Object newData) {
        Map<String, Object> copy = new LinkedHashMap<>(outputs);
        copy.remove(key);
        copy.put(key, output);
        return new FlowFrame(flow, newData, copy, counters);
    }

    public int counter(String key) {
        return counters.getOrDefault(key, 0);
    }

    public FlowFrame withCounter(String key, int value) {
        Map<String, Integer> copy = new HashMap<>(counters);
        copy.put(key, value);
        return new FlowFrame(flow, data, outputs, copy);
    }
}
