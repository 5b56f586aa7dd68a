package dev.orchestra4j.core;

/** Root of Orchestra4j's runtime failures. Unchecked; subclasses say what went wrong. */
public class OrchestraException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OrchestraException(String message) {
        super(message);
    }

    public OrchestraException(String message, Throwable cause) {
        super(message, cause);
    }
}
