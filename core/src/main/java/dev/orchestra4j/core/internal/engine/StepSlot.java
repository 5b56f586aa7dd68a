package dev.orchestra4j.core.internal.engine;

import org.jspecify.annotations.Nullable;

/**
 * The handle through which a running agent call can be interrupted (step timeout, branch timeout, cancellation)
 * without racing its normal completion: exactly one of {@link #end()} and {@link #interrupt(int)} wins, and an
 * interrupt never leaks into the thread's next task.
 */
final class StepSlot {

    static final int REASON_TIMEOUT = 1;
    static final int REASON_CANCEL = 2;
    /** Another deadline of the session came due while a step ran inline: the driving role is handed off, no interrupt. */
    static final int REASON_WAKE = 3;

    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;
    /** A detached step handed to the step executor, which has not begun it yet; its timeout runs from dispatch. */
    private static final int QUEUED = 4;
    /** A queued step whose timeout passed before the executor began it: it never calls its agent. */
    private static final int EXPIRED = 5;

    /** A fixed order of slots (by branch, then step token), so that simultaneous timeouts fire in a fixed order. */
    static final java.util.Comparator<StepSlot> ORDER = java.util.Comparator.comparing(
                    (StepSlot s) -> String.valueOf(s.branchId))
            .thenComparingLong(s -> s.token);

    /** IDLE (0, no initializing write), QUEUED, RUNNING, INTERRUPTING, INTERRUPTED or EXPIRED; changed through STATE. */
    private volatile int state;
    /*
     * Written by begin() before its volatile write of RUNNING, and read by other threads only after they read RUNNING
     * (or INTERRUPTED, for reason) from state: that write publishes them, so they need no fence of their own. A step
     * starts on every inline step, and each volatile write is a full fence.
     */
    private @Nullable Thread thread;
    private long deadlineMillis = Long.MAX_VALUE;
    private int reason;
    /** Also written by {@link #detach()} from another thread. */
    private volatile long wakeMillis = Long.MAX_VALUE;

    private static final java.lang.invoke.VarHandle WAKE_MILLIS;
    private static final java.lang.invoke.VarHandle STATE;
    private static final java.lang.invoke.VarHandle ABANDONED_AGENT;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.lookup();
            WAKE_MILLIS = lookup.findVarHandle(StepSlot.class, "wakeMillis", long.class);
            STATE = lookup.findVarHandle(StepSlot.class, "state", int.class);
            ABANDONED_AGENT = lookup.findVarHandle(StepSlot.class, "abandonedAgent", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** A detached step's are set in the constructor and rewritten by begin() alike; an inline slot's as above. */
    @Nullable
    String branchId;

    long token;
    volatile boolean inline;

    /** Null while the call is the engine's; the agent's name once given up while running; "" once its thread returned. */
    private volatile @Nullable String abandonedAgent; // changed through ABANDONED_AGENT

    /** Set by a cancellation that may come before the step's thread has begun; the step then never calls its agent. */
    private volatile boolean cancelled;

    StepSlot(boolean inline) {
        this.inline = inline;
    }

    /**
     * A slot for one detached step, known by branch and token from the moment it is dispatched, and timed out at {@code
     * deadline} even while the step executor has not begun it (a saturated or stalled pool).
     */
    StepSlot(String branch, long stepToken, long deadline) {
        this(false);
        branchId = branch;
        token = stepToken;
        deadlineMillis = deadline;
        state = QUEUED; // publishes the fields above to the scanner
    }

    /** Cancels the step whether or not its thread has begun it (D13). */
    void cancel() {
        cancelled = true;
        interrupt(REASON_CANCEL);
    }

    /** Whether the step was cancelled before it began; it must then not call its agent. */
    boolean isCancelled() {
        return cancelled;
    }

    /**
     * Arms the slot: the step times out at {@code deadline}; an inline step is also interrupted at {@code wake}, when
     * another deadline of its session comes due. Returns false when the step timed out while queued ({@link #expire}):
     * it must not call its agent.
     */
    boolean begin(Thread runner, long deadline, long wake, String branch, long stepToken) {
        thread = runner;
        deadlineMillis = deadline;
        WAKE_MILLIS.setRelease(
                this, wake); // published by the write of RUNNING below, like the rest: no fence of its own
        branchId = branch;
        token = stepToken;
        reason = 0;
        int s = state;
        if (s == QUEUED || s == EXPIRED) { // a detached step's first begin races the scanner's expiry
            return STATE.compareAndSet(this, QUEUED, RUNNING);
        }
        state = RUNNING;
        return true;
    }

    /**
     * Ends the step on its own thread.
     *
     * @return 0 when it ended normally, else the reason it was interrupted (the interrupt flag is then cleared)
     */
    int end() {
        if (STATE.compareAndSet(this, RUNNING, IDLE)) {
            return 0;
        }
        if (state == EXPIRED) {
            return REASON_TIMEOUT; // never begun: nothing interrupted this thread
        }
        while (state == INTERRUPTING) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        state = IDLE;
        return reason;
    }

    /**
     * The engine gave the call up while its thread may still be inside the agent of {@code agent}: it counts in {@link
     * AbandonedCalls} until {@link #returned()}. Once per slot; nothing is counted when the thread returned already, nor
     * for a step the executor has not begun (it then never begins: its agent is not called).
     */
    void abandon(String agent) {
        if (STATE.compareAndSet(this, QUEUED, EXPIRED) || state == EXPIRED) {
            return; // the executor never began it, and now never will: no agent call to count
        }
        if (ABANDONED_AGENT.compareAndSet(this, (String) null, agent)) {
            AbandonedCalls.abandoned(agent);
        }
    }

    /** The call's thread has left the agent (called once, on that thread, when the slot is done with). */
    void returned() {
        String agent = (String) ABANDONED_AGENT.getAndSet(this, "");
        if (agent != null && !agent.isEmpty()) {
            AbandonedCalls.returned(agent);
        }
    }

    /** Whether {@link #returned()} was called: the slot is done with, and {@link StepSlots} may unlist it. */
    boolean hasReturned() {
        String agent = abandonedAgent;
        return agent != null && agent.isEmpty();
    }

    /** The inline step became a detached one: no more wake-ups, and its timeout is reported like a detached step's. */
    void detach() {
        wakeMillis = Long.MAX_VALUE;
        inline = false;
    }

    /** Interrupts the running call; returns false when it already ended or was interrupted. */
    boolean interrupt(int why) {
        if (!STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
            return false;
        }
        reason = why;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        state = INTERRUPTED;
        return true;
    }

    /**
     * Times out a step the executor has not begun ({@link #overdue} said so); false when it began (or was given up)
     * meanwhile.
     */
    boolean expire() {
        return STATE.compareAndSet(this, QUEUED, EXPIRED);
    }

    /** The reason to interrupt the step at {@code nowMillis} (or to {@link #expire} it), or 0 when it may go on. */
    int overdue(long nowMillis) {
        int s = state;
        if (s == QUEUED) {
            return nowMillis >= deadlineMillis ? REASON_TIMEOUT : 0;
        }
        if (s != RUNNING) {
            return 0;
        }
        if (nowMillis >= deadlineMillis) {
            return REASON_TIMEOUT;
        }
        return nowMillis >= wakeMillis ? REASON_WAKE : 0;
    }

    /** When this step next needs the scanner (its timeout, or an inline step's wake-up), or {@code Long.MAX_VALUE}. */
    long nextDueMillis() {
        int s = state;
        return s == RUNNING ? Math.min(deadlineMillis, wakeMillis) : s == QUEUED ? deadlineMillis : Long.MAX_VALUE;
    }

    boolean isRunning(String branch) {
        return state == RUNNING && branch.equals(branchId);
    }

    boolean isFor(String branch, long stepToken) {
        return !inline && branch.equals(branchId) && token == stepToken;
    }
}
