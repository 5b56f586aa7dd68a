package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Topology;
import java.util.Map;

/** Placeholder. */
public final class TopologyReader {
    private TopologyReader() {}

    /** From a map. */
    public static Topology fromMap(Map<String, ?> map) {
        throw new UnsupportedOperationException("not yet");
    }

    /** From JSON. */
    public static Topology fromJson(String json) {
        throw new UnsupportedOperationException("not yet");
    }

    /** From YAML. */
    public static Topology fromYaml(String yaml) {
        throw new UnsupportedOperationException("not yet");
    }
}
