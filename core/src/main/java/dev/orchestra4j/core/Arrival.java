package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

/**
 * One value delivered to a barrier. After a fork or rendezvous fires, the resolving agent's {@link
 * AgentRequest#input()} is a {@code List<Arrival>} in invocation order (then arrival order), labelled by source.
 */
public record Arrival(String agent, String branchId, Object value) {

    public Arrival {
        requireNonNull(agent, "agent");
        requireNonNull(branchId, "branchId");
        requireNonNull(value, "value");
    }
}
