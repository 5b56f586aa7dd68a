package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import org.jspecify.annotations.Nullable;

/**
 * Where a branch is in its life, with the data that belongs to that phase only. A branch holds exactly one of these
 * and changes it only through {@link Branch#move}, which checks {@link BranchPhase#TABLE}.
 */
sealed interface BranchState {

    /** The one QUEUED state (it carries nothing): a branch moving through it allocates nothing. */
    Queued QUEUED = new Queued();

    /** The one READY state (it carries nothing): a step's branch enters it once per step. */
    Ready READY = new Ready();

    BranchPhase phase();

    /** The barrier a branch in this state waits on (JOINING, or ASKING about a barrier), else null. */
    default @Nullable String barrier() {
        return null;
    }

    /** The public status this state shows in results and events. */
    default BranchStatus status() {
        return BranchStatus.RUNNING;
    }

    /** Created but held back by {@code max_agents} or its fork's {@code max_concurrency}. */
    record Queued() implements BranchState {
        @Override
        public BranchPhase phase() {
            return BranchPhase.QUEUED;
        }
    }

    /** May run its next step (it is in, or about to enter, the dispatch queue). */
    record Ready() implements BranchState {
        @Override
        public BranchPhase phase() {
            return BranchPhase.READY;
        }
    }

    /**
     * Its step {@code token} is in flight. When that step is given up (timed out) the branch's token moves on while
     * it stays RUNNING until its failure is decided, so the step is no longer the one it runs.
     */
    record Running(long token) implements BranchState {
        @Override
        public BranchPhase phase() {
            return BranchPhase.RUNNING;
        }
    }

    /** Waits for a retry's backoff until {@code notBeforeMillis} (epoch millis of the session clock). */
    record RetryAt(long notBeforeMillis) implements BranchState {
        @Override
        public BranchPhase phase() {
            return BranchPhase.RETRY_AT;
        }
    }

    /** Waits for {@code barrier}: a fork it opened, or the rendezvous it resolves. */
    record Joining(String barrier) implements BranchState {
        @Override
        public BranchPhase phase() {
            return BranchPhase.JOINING;
        }

        @Override
        public BranchStatus status() {
            return BranchStatus.WAITING;
        }
    }

    /**
     * Waits for the user's answer to {@code question}; {@code barrier} is set when the question is whether the barrier
     * it waits on may proceed with partial results (ASK_USER).
     */
    record Asking(String question, @Nullable String barrier) implements BranchState {
        @Override
        public BranchPhase phase() {
            return BranchPhase.ASKING;
        }

        @Override
        public BranchStatus status() {
            return BranchStatus.WAITING;
        }
    }

    /** Completed, failed, abandoned or timed out: final. {@code reason} is null for a completed branch. */
    record Settled(BranchStatus status, @Nullable String reason) implements BranchState {
        public Settled {
            if (!status.isSettled()) {
                throw new IllegalArgumentException("a settled branch cannot be " + status);
            }
        }

        @Override
        public BranchPhase phase() {
            return BranchPhase.SETTLED;
        }
    }
}
