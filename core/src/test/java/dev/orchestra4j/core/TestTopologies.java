package dev.orchestra4j.core;

import dev.orchestra4j.topology.Topology;

/** Topologies many tests share. */
final class TestTopologies {

    private TestTopologies() {}

    /** {@code Start -> A}, {@code A -> End}: one agent. */
    static Topology single() {
        return Topology.builder().edge("Start -> A").edge("A -> End").build();
    }

    /** {@code Start -> A}, {@code A -> User}, {@code A -> End}: one agent that may ask the user. */
    static Topology asking() {
        return asking("A");
    }

    /** {@code Start -> agent}, {@code agent -> User}, {@code agent -> End}. */
    static Topology asking(String agent) {
        return Topology.builder()
                .edge("Start -> " + agent)
                .edge(agent + " -> User")
                .edge(agent + " -> End")
                .build();
    }
}
