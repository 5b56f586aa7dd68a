package dev.orchestra4j.core.sim;

import dev.orchestra4j.core.AgentRequest;
import org.jspecify.annotations.Nullable;

/** One call of a simulated agent: where it ran, what it was asked, and what the simulation decided it does. */
final class AgentCall {

    final int incarnation;
    final String id;
    final AgentRequest request;
    final Thread thread;
    /** Whether it runs on a step thread of the executor (else inline, on the session's driving thread). */
    final boolean onStepThread;
    /** Whether it gives up when interrupted (else it ignores the interrupt and stays stuck: a zombie). */
    final boolean honoursInterrupt;

    boolean parked = true;
    int interrupts;

    @Nullable
    Verdict verdict;
    /** The storage model's write index when its outcome went to the engine; -1 while it has none. */
    long resolvedAtWrite = -1;
    /** The leg that dispatched it (a number unique in the case). */
    final int leg;
    /** The storage model's write index when it arrived. */
    final long arrivedAt;

    AgentCall(
            int incarnation,
            int leg,
            long arrivedAt,
            AgentRequest request,
            Thread thread,
            boolean onStepThread,
            boolean honoursInterrupt) {
        this.incarnation = incarnation;
        this.leg = leg;
        this.arrivedAt = arrivedAt;
        this.request = request;
        this.thread = thread;
        this.onStepThread = onStepThread;
        this.honoursInterrupt = honoursInterrupt;
        this.stepKey = stepKey(request);
        this.id = request.agent() + "/" + request.branchId() + "/s" + request.step() + "/a" + request.attempt() + "/i"
                + incarnation;
    }

    /**
     * What identifies the step: the same branch at the same agent with the same input, attempt, error and memory
     * (taken when the call arrives, before the agent adds to its memory).
     */
    final String stepKey;

    private static String stepKey(AgentRequest request) {
        return request.memory().size() + "|"
                + (request.memory().isEmpty() ? "" : request.memory().getLast()) + "|"
                + request.branchId() + "|" + request.agent() + "|" + request.from() + "|" + request.attempt() + "|"
                + request.error().map(e -> e.category() + ":" + e.message()).orElse("-") + "|"
                + String.valueOf(request.input());
    }

    @Override
    public String toString() {
        return id;
    }
}
