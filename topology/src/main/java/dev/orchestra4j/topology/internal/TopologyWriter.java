package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Topology;

/** Placeholder. */
public final class TopologyWriter {
    private TopologyWriter() {}

    /** Canonical JSON. */
    public static String toJson(Topology topology) {
        return topology.toString();
    }
}
