package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.StateException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What a write that did not go through means for the leg (README "A storage error is not a failure of the session"):
 * a conflict or a failed lease check means another process owns the session, so this leg stops and writes nothing
 * more; a storage error stops the leg, which then ends with that error while storage keeps its last commit (RUNNING);
 * a session that cannot be written fails the leg. {@link Persistence} does the writing and reports here.
 */
final class WriteFaults {

    /** Nothing more is written by this leg: it lost the session, or its storage failed. */
    private volatile boolean lost;
    /** Saving failed once (unwritable value, backend error): the leg is failing; only its final status is written. */
    private boolean broken;
    /** This process lost the session to another owner (fenced out, or its lease check said so). */
    private volatile boolean ownershipLost;
    /** Why this leg lost the session, once it did: its result is then FAILED, whatever it reached before. */
    private volatile @Nullable String lostReason;
    /** A heartbeat was fenced out: the driving thread stops the leg as lost at its next commit. */
    private volatile boolean takenOver;
    /** A storage error (not a conflict) stopped the leg: nothing more is written, the leg ends with it (C5). */
    private @Nullable StateException storageFailure;
    /** Asked before every step dispatch: false means another process owns the session now (C3). */
    private volatile BooleanSupplier leaseCheck = () -> true;

    /** A claim made this process the owner again: the faults of an earlier leg no longer apply. */
    void reset() {
        takenOver = false;
        broken = false;
        lost = false;
        ownershipLost = false;
        lostReason = null;
        storageFailure = null;
    }

    boolean isLost() {
        return lost;
    }

    /** Whether a step's commit is skipped: the leg lost the session, its storage failed, or saving failed before. */
    boolean stopsCommits() {
        return lost || broken;
    }

    boolean isOwnershipLost() {
        return ownershipLost;
    }

    void leaseCheck(BooleanSupplier check) {
        leaseCheck = check;
    }

    /**
     * Whether this process may dispatch another step. When the lease check says no, the leg stops as lost without
     * writing anything: the new owner's state must not be overwritten, and no further step's side effects happen here.
     */
    boolean holdsLease(Coordinator c) {
        if (leaseCheck.getAsBoolean()) {
            return true;
        }
        lose(
                c,
                "session '" + c.spec.sessionId() + "' lost its lease: another process owns it now; this one"
                        + " stopped before its next step and wrote nothing");
        return false;
    }

    /** Called by the heartbeat thread when its write was fenced out. */
    void heartbeatFencedOut() {
        takenOver = true;
    }

    /** Stops the leg as lost if a heartbeat was fenced out since; true when it did (nothing is committed then). */
    boolean stopIfTakenOver(Coordinator c) {
        if (!takenOver || lost) {
            return false;
        }
        lose(c, takenOverMessage(c, "another process wrote it"));
        return true;
    }

    /** Throws the storage error that stopped this leg, if one did: the leg then ends with it, storing nothing. */
    void throwIfStorageFailed(Coordinator c) {
        StateException failure = storageFailure;
        if (failure != null) {
            throw new StateException(
                    "session '" + c.spec.sessionId() + "' stopped because its storage failed (" + failure.getMessage()
                            + "); it was not marked FAILED: storage still holds its last commit, so it can be"
                            + " recovered once storage is back",
                    failure);
        }
    }

    /**
     * The backend failed (a database restart, a dropped connection): the leg stops without writing again, and ends
     * with this error instead of a FAILED status that would make a passing outage permanent (C5).
     */
    void storageFailed(Coordinator c, StateException e) {
        lost = true;
        storageFailure = e;
        c.machine.lifecycle.stop(c.machine, RunStatus.FAILED, "storage failed: " + e.getMessage());
    }

    /** Another process wrote the session since this one did: it owns the session now. */
    void fencedOut(Coordinator c, ConcurrentSessionModificationException e) {
        lose(c, takenOverMessage(c, e.getMessage()));
    }

    private void lose(Coordinator c, String why) {
        c.telemetry.effects.discard(); // nothing since the last commit will be committed by this process
        lost = true;
        ownershipLost = true;
        lostReason = why;
        c.machine.lifecycle.stop(c.machine, RunStatus.FAILED, why);
    }

    /**
     * Why this leg lost the session or its end, or null. A leg that reached an end (completed, paused, waiting) before
     * the write recording it was fenced out did not end: another process owns the session, so the leg's result is
     * FAILED; so it is when that end could not be written (a value that is not JSON, {@link #unwritable}).
     */
    @Nullable
    String lostReason() {
        return lostReason;
    }

    /**
     * The session could not be saved with {@code status}: the leg fails. Returns whether the leg is ending, in which
     * case the caller stores the last snapshot that could be written with the final status instead.
     */
    boolean unwritable(Coordinator c, String status, RuntimeException e) {
        boolean ending = !status.equals(Persistence.RUNNING) || broken;
        broken = true;
        if (!ending) {
            c.machine.lifecycle.stop(c.machine, RunStatus.FAILED, Stepping.describe(e));
        } else if (!status.equals(Persistence.RUNNING) && lostReason == null) {
            // the leg reached its end, but that end cannot be stored: it did not end so, it failed (what the caller
            // stores instead says FAILED too, see storedInstead)
            lostReason = Stepping.describe(e);
        }
        return ending;
    }

    /**
     * The status the last snapshot that could be written is stored with when the save with {@code status} was
     * unwritable: a leg end that cannot be stored is a failure, whatever it reached.
     */
    static String storedInstead(String status) {
        return status.equals(Persistence.RUNNING) ? status : RunStatus.FAILED.name();
    }

    /**
     * Even the last good snapshot could not be stored with the leg's final status, so storage still says RUNNING: the
     * leg must not report a clean end. A conflict means ownership was lost; any other error ends the leg with it as a
     * storage error, so the session is recovered from its last commit once storage is back.
     */
    void finalWriteFailed(Coordinator c, String status, RuntimeException again) {
        if (again instanceof ConcurrentSessionModificationException conflict) {
            fencedOut(c, conflict);
        } else if (again instanceof StateException storage) {
            storageFailed(c, storage);
        } else {
            storageFailed(
                    c,
                    new StateException(
                            "session '" + c.spec.sessionId() + "' could not be stored " + status + ": "
                                    + Stepping.describe(again),
                            again));
        }
    }

    private static String takenOverMessage(Coordinator c, @Nullable String detail) {
        return "session '" + c.spec.sessionId() + "' was taken over by another process; this one stopped (" + detail
                + ")";
    }
}
