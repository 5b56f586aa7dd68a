package dev.orchestra4j.core.internal.engine;

/**
 * Where a branch is in its life, derived from its fields, and the one table of legal moves between these phases.
 * {@code SETTLED} is absorbing: a branch settles exactly once.
 */
enum BranchPhase {
    /** Created but held back by {@code max_agents}. */
    QUEUED,
    /** May run its next step. */
    READY,
    /** Its step is in flight. */
    RUNNING,
    /** Waits for a retry's backoff. */
    RETRY_AT,
    /** Waits for a barrier: a fork it opened, or the rendezvous it resolves. */
    JOINING,
    /** Waits for the user's answer. */
    ASKING,
    /** Completed, failed, abandoned or timed out; final. */
    SETTLED;

    static final TransitionTable<BranchPhase> TABLE = TransitionTable.of("branch", BranchPhase.class)
            .initial(QUEUED, READY, RETRY_AT, JOINING, SETTLED)
            .add(QUEUED, READY, RUNNING, RETRY_AT, JOINING, ASKING, SETTLED)
            .add(READY, RUNNING, RETRY_AT, JOINING, ASKING, SETTLED)
            .add(RUNNING, READY, RETRY_AT, JOINING, ASKING, SETTLED)
            .add(RETRY_AT, READY, RUNNING, SETTLED)
            .add(JOINING, READY, RUNNING, RETRY_AT, ASKING, SETTLED)
            .add(ASKING, READY, RUNNING, RETRY_AT, JOINING, SETTLED)
            .build();

    static BranchPhase of(Branch b) {
        if (!b.isAlive()) {
            return SETTLED;
        }
        if (b.waitingOn != null) {
            return JOINING;
        }
        if (!b.materialized) {
            return QUEUED;
        }
        if (b.inFlight) {
            return RUNNING;
        }
        if (b.waitingQuestion != null) {
            return ASKING;
        }
        return b.notBeforeMillis != 0 ? RETRY_AT : READY;
    }
}
