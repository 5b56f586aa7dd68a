package dev.orchestra4j.core;

/** A session operation cannot be done: unknown session, session busy in another process, nothing to resume. */
public class SessionException extends OrchestraException {

    private static final long serialVersionUID = 1L;

    public SessionException(String message) {
        super(message);
    }

    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
