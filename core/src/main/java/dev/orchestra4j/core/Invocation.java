package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

/** One target of a parallel invoke: the agent to start and what to send it. */
public record Invocation(String agent, Object request) {

    public Invocation {
        requireNonNull(agent, "agent");
        requireNonNull(request, "request");
        if (agent.isBlank()) {
            throw new IllegalArgumentException("invocation agent must not be blank");
        }
    }

    public static Invocation of(String agent, Object request) {
        return new Invocation(agent, request);
    }
}
