package dev.orchestra4j.state;

/**
 * A failure to store or read session state: an unreachable or failing backend, or data that cannot be
 * decoded (corrupt, truncated, incompatible). The message names the session or key and the cause.
 */
public class StateException extends RuntimeException {

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
