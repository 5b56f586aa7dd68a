package dev.orchestra4j.state;

/**
 * Thrown when a session is saved from a stale version, or its journal is appended from a stale sequence, or
 * it is saved fenced by a stale sequence ({@link StateManager#save(SessionSnapshot, long)}): another writer
 * (thread or process) saved, appended, restored or deleted it since it was read. Nothing was written; reload
 * the session to continue.
 */
public final class ConcurrentSessionModificationException extends StateException {

    private final String sessionId;
    private final long expectedVersion;
    private final long actualVersion;

    public ConcurrentSessionModificationException(String sessionId, long expectedVersion, long actualVersion) {
        this(
                "Session '" + sessionId + "' was modified concurrently: saved from version " + expectedVersion
                        + " but storage holds version " + actualVersion
                        + (actualVersion == 0 ? " (deleted)" : "") + "; reload the session and retry",
                sessionId,
                expectedVersion,
                actualVersion);
    }

    private ConcurrentSessionModificationException(
            String message, String sessionId, long expectedVersion, long actualVersion) {
        super(message);
        this.sessionId = sessionId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /**
     * A refused journal append, or a write fenced by the journal that found it moved: {@code subject} (a
     * storage key or a session id) holds {@code actualLastSequence}, the writer expected {@code
     * expectedLastSequence}. The versions reported are these journal sequences.
     */
    public static ConcurrentSessionModificationException journal(
            String subject, long expectedLastSequence, long actualLastSequence) {
        return new ConcurrentSessionModificationException(
                "Journal of '" + subject + "' was appended concurrently: the writer expected last sequence "
                        + expectedLastSequence + " but storage holds " + actualLastSequence
                        + "; another owner took the session over, reload it and retry",
                subject,
                expectedLastSequence,
                actualLastSequence);
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
