package dev.orchestra4j.topology.internal;

import dev.orchestra4j.topology.Topology;

/** Placeholder. */
public final class MermaidRenderer {
    private MermaidRenderer() {}

    /** Mermaid. */
    public static String render(Topology topology) {
        return "flowchart TD\n" + topology;
    }
}
