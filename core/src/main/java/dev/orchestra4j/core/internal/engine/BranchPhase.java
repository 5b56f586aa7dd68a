package dev.orchestra4j.core.internal.engine;

/**
 * The phases of a branch's {@link BranchState}, and the one table of legal moves between them. {@code SETTLED} is
 * absorbing: a branch settles exactly once.
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

    /**
     * Every legal move, each made by one decision of the coordinator. A branch is created QUEUED, READY, or (a
     * rendezvous resolver) JOINING; it runs only from READY; it settles exactly once.
     */
    static final TransitionTable<BranchPhase> TABLE = TransitionTable.of("branch", BranchPhase.class)
            .initial(QUEUED, READY, JOINING)
            .add(QUEUED, READY, SETTLED)
            .add(READY, RUNNING, SETTLED)
            .add(RUNNING, READY, RETRY_AT, JOINING, ASKING, SETTLED)
            .add(RETRY_AT, READY, SETTLED)
            .add(JOINING, READY, ASKING, SETTLED)
            .add(ASKING, ASKING, READY, SETTLED)
            .build();
}
