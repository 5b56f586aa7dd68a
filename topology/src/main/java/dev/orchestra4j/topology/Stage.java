package dev.orchestra4j.topology;

import dev.orchestra4j.topology.internal.Names;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One stage of a {@link PatternConfig#pipeline(List)}: its agents run one after another ({@link #of}) or all at
 * once ({@link #parallel}).
 *
 * @param name the stage name (documentation and the Mermaid picture; no node is created for it)
 * @param agents the agents of the stage, at least one, distinct, none reserved
 * @param parallel whether the agents run concurrently
 */
public record Stage(String name, List<String> agents, boolean parallel) {
    /** Validates and copies. */
    public Stage {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("stage name must not be blank");
        }
        agents = List.copyOf(agents);
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("stage '" + name + "' needs at least one agent");
        }
        for (String agent : agents) {
            Names.check(agent);
            if (Node.kindOf(agent) != NodeKind.AGENT) {
                throw new IllegalArgumentException(
                        "stage '" + name + "' cannot contain the reserved node '" + agent + "'");
            }
        }
        if (new HashSet<>(agents).size() != agents.size()) {
            throw new IllegalArgumentException("stage '" + name + "' lists an agent twice: " + agents);
        }
    }

    /** A stage whose agents run one after another, in the given order. */
    public static Stage of(String name, String... agents) {
        return new Stage(name, List.of(agents), false);
    }

    /** A stage whose agents run concurrently. */
    public static Stage parallel(String name, String... agents) {
        return new Stage(name, List.of(agents), true);
    }

    /** The agents the previous stage hands to: all of them when parallel, else the first. */
    List<String> entries() {
        return parallel ? agents : List.of(agents.get(0));
    }

    /** The agents that hand to the next stage: all of them when parallel, else the last. */
    List<String> exits() {
        return parallel ? agents : List.of(agents.get(agents.size() - 1));
    }
}
