package dev.orchestra4j.core;

/** How a run (or the current leg of a session) ended. */
public enum RunStatus {
    COMPLETED,
    FAILED,
    PAUSED,
    WAITING_FOR_USER,
    TIMED_OUT,
    CANCELLED;

    /** Whether the session can still continue ({@code resumeSession} or {@code respond}). */
    public boolean isSuspended() {
        return this == PAUSED || this == WAITING_FOR_USER;
    }
}
