package dev.orchestra4j.topology;

/** What a {@link Node} is. The kind follows from the name: {@code Start}, {@code End} and {@code User} are reserved. */
public enum NodeKind {
    /** A node run by an agent; every name except the reserved ones. */
    AGENT,
    /** The single entry node {@code Start}: each of its targets starts a branch with the task. */
    START,
    /** The exit node {@code End}: invoking it delivers the final response. */
    END,
    /** The node {@code User}: invoking it asks the user; the answer returns to the agent that asked. */
    USER
}
