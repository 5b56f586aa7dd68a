package dev.orchestra4j.state;

/**
 * Thrown when a session is saved from a stale version: another writer (thread or process) saved,
 * restored or deleted it since it was read. Nothing was written; reload the session to continue.
 */
public final class ConcurrentSessionModificationException extends StateException {

    private final String sessionId;
    private final long expectedVersion;
    private final long actualVersion;

    public ConcurrentSessionModificationException(String sessionId, long expectedVersion, long actualVersion) {
        super("Session '" + sessionId + "' was modified concurrently: saved from version " + expectedVersion
                + " but storage holds version " + actualVersion
                + (actualVersion == 0 ? " (deleted)" : "") + "; reload the session and retry");
        this.sessionId = sessionId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public String sessionId() {
        return sessionId;
    }

    /** The version the writer read the session at (0 for a new session). */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version found in storage when the write was refused (0 when the session does not exist). */
    public long actualVersion() {
        return actualVersion;
    }
}
