package dev.orchestra4j.topology;

import dev.orchestra4j.topology.internal.Metadata;
import dev.orchestra4j.topology.internal.Names;
import java.util.Map;
import java.util.Objects;

/**
 * A node of a topology. The kind follows from the name: {@value #START}, {@value #END} and {@value #USER} (exact
 * case) are reserved and give those kinds; every other name is an {@link NodeKind#AGENT}. Names may contain
 * spaces but not {@code < > [ ] ,} or control characters, and have no surrounding whitespace.
 *
 * @param name the unique name; for agents, the name the agent is registered under
 * @param kind the kind, consistent with the name
 * @param convergence whether the node is a rendezvous; only agents may be other than {@code AUTO}
 * @param metadata free-form data (for example {@code convergence_policy}); copied, immutable
 */
public record Node(String name, NodeKind kind, ConvergenceMode convergence, Map<String, Object> metadata) {
    /** The reserved name of the entry node. */
    public static final String START = "Start";
    /** The reserved name of the exit node. */
    public static final String END = "End";
    /** The reserved name of the user node. */
    public static final String USER = "User";

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the name is invalid, the kind does not match the name, or a non-agent
     *     has a convergence other than {@code AUTO}
     */
    public Node {
        Names.check(name);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(convergence, "convergence");
        NodeKind expected = kindOf(name);
        if (kind != expected) {
            throw new IllegalArgumentException("node '" + name + "' must have kind " + expected + ", was " + kind
                    + " (the kind follows from the name)");
        }
        if (kind != NodeKind.AGENT && convergence != ConvergenceMode.AUTO) {
            throw new IllegalArgumentException(
                    "only agents can have a convergence mode, '" + name + "' was given " + convergence);
        }
        metadata = Metadata.copy(Objects.requireNonNull(metadata, "metadata"));
    }

    /** A node with the kind implied by its name, convergence {@code AUTO} and no metadata. */
    public static Node of(String name) {
        return new Node(name, kindOf(name), ConvergenceMode.AUTO, Map.of());
    }

    /** The kind a node with this name has: reserved names give their kind, anything else is an agent. */
    public static NodeKind kindOf(String name) {
        return switch (Objects.requireNonNull(name, "name")) {
            case START -> NodeKind.START;
            case END -> NodeKind.END;
            case USER -> NodeKind.USER;
            default -> NodeKind.AGENT;
        };
    }

    /** Whether this node is run by an agent (not Start, End or User). */
    public boolean isAgent() {
        return kind == NodeKind.AGENT;
    }

    /** A copy with another convergence mode. */
    public Node withConvergence(ConvergenceMode mode) {
        return new Node(name, kind, mode, metadata);
    }

    /** A copy with other metadata. */
    public Node withMetadata(Map<String, ?> newMetadata) {
        return new Node(name, kind, convergence, Metadata.copy(newMetadata));
    }
}
