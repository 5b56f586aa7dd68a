package dev.orchestra4j.core;

/** An agent is missing from the registry, or misbehaved in a way no retry can fix. */
public class AgentException extends OrchestraException {

    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
