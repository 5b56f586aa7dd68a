package dev.orchestra4j.core.internal.engine;

import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The handle through which a running agent call can be interrupted (step timeout, branch timeout, cancellation)
 * without racing its normal completion: exactly one of {@link #end()} and {@link #interrupt(int)} wins, and an
 * interrupt never leaks into the thread's next task.
 */
final class StepSlot {

    static final int REASON_TIMEOUT = 1;
    static final int REASON_CANCEL = 2;

    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;

    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile @Nullable Thread thread;
    private volatile long deadlineMillis = Long.MAX_VALUE;
    private volatile int reason;
    volatile @Nullable String branchId;
    volatile long token;
    final boolean inline;

    StepSlot(boolean inline) {
        this.inline = inline;
    }

    void begin(Thread runner, long deadline, String branch, long stepToken) {
        thread = runner;
        deadlineMillis = deadline;
        branchId = branch;
        token = stepToken;
        reason = 0;
        state.set(RUNNING);
    }

    /**
     * Ends the step on its own thread.
     *
     * @return 0 when it ended normally, else the reason it was interrupted (the interrupt flag is then cleared)
     */
    int end() {
        if (state.compareAndSet(RUNNING, IDLE)) {
            return 0;
        }
        while (state.get() == INTERRUPTING) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        state.set(IDLE);
        return reason;
    }

    /** Interrupts the running call; returns false when it already ended or was interrupted. */
    boolean interrupt(int why) {
        if (!state.compareAndSet(RUNNING, INTERRUPTING)) {
            return false;
        }
        reason = why;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        state.set(INTERRUPTED);
        return true;
    }

    boolean isOverdue(long nowMillis) {
        return state.get() == RUNNING && nowMillis >= deadlineMillis;
    }

    boolean isRunning(String branch) {
        return state.get() == RUNNING && branch.equals(branchId);
    }
}
