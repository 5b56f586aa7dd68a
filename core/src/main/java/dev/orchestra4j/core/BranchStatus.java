package dev.orchestra4j.core;

/** The life cycle of a branch (SPEC §4.1). */
public enum BranchStatus {
    RUNNING,
    WAITING,
    COMPLETED,
    FAILED,
    ABANDONED,
    TIMED_OUT;

    /** Whether the branch has settled (it settles exactly once). */
    public boolean isSettled() {
        return this != RUNNING && this != WAITING;
    }
}
