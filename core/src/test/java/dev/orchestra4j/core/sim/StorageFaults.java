package dev.orchestra4j.core.sim;

import dev.orchestra4j.state.StateException;
import java.util.Random;

/**
 * The storage faults of one case, drawn from its seed: now and then a write of the session (its snapshot, journal,
 * truncation, step recording or a checkpoint) fails with a {@link StateException} before it takes effect, or after
 * (the caller cannot tell whether it happened), or the process dies right before or right after it (a torn compaction:
 * the snapshot stored and the journal not yet truncated; a claim whose journal fence is written and whose snapshot is
 * not; a restore whose marker is missing). Writes happen one action at a time, so the draws replay alike.
 */
final class StorageFaults {

    /** What happens to one write. */
    enum Fault {
        NONE,
        /** It fails and takes no effect. */
        FAIL,
        /** It takes effect, then fails: the writer cannot know that it happened. */
        FAIL_AFTER,
        /** The process dies just before it. */
        CRASH_BEFORE,
        /** The process dies just after it. */
        CRASH_AFTER
    }

    static final String MESSAGE = "simulated storage outage";

    private final Random random;
    private final int oneIn;
    private int left;
    private int crashesLeft;

    /** No faults at all. */
    static StorageFaults none() {
        return new StorageFaults(0, 0, 0, 0);
    }

    StorageFaults(long seed, int oneIn, int faults, int crashes) {
        this.random = new Random(seed ^ 0x51F15EEDL);
        this.oneIn = oneIn;
        this.left = faults;
        this.crashesLeft = crashes;
    }

    /** The fault of the next eligible write. */
    synchronized Fault next() {
        if (left == 0 || random.nextInt(oneIn) != 0) {
            return Fault.NONE;
        }
        left--;
        int roll = random.nextInt(100);
        if (roll < 40 || crashesLeft == 0) {
            return roll % 3 == 0 ? Fault.FAIL_AFTER : Fault.FAIL;
        }
        crashesLeft--;
        return roll < 65 ? Fault.CRASH_BEFORE : Fault.CRASH_AFTER;
    }

    synchronized boolean enabled() {
        return oneIn > 0;
    }

    static StateException failure(String op, String key, boolean applied) {
        return new StateException(
                MESSAGE + " (" + op + " of '" + key + "' " + (applied ? "took effect" : "did not") + ")");
    }

    /** Whether {@code e} is, or was caused by, an injected storage failure. */
    static boolean injected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(MESSAGE)) {
                return true;
            }
        }
        return false;
    }
}
