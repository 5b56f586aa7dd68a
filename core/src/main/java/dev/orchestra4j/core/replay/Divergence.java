package dev.orchestra4j.core.replay;

import static java.util.Objects.requireNonNull;

/**
 * Where a replay stopped because the run no longer matches its recording: the agent's request differs from the
 * recorded one (a changed prompt, tool or input), or the run reached a step the recording does not have (changed code
 * or topology).
 *
 * @param step the step number at which the run diverged
 * @param agent the agent whose step diverged
 * @param branchId the branch it ran on
 * @param modelCall the index (0-based) of the model or tool call within the step that differed, or -1 when the step
 *     itself differs
 * @param expected what the recording has: the recorded request's messages (LangChain4j JSON), tool call, or step
 * @param actual what the run asked for instead
 * @param reason one line saying what differs
 */
public record Divergence(
        int step, String agent, String branchId, int modelCall, String expected, String actual, String reason) {

    public Divergence {
        requireNonNull(agent, "agent");
        requireNonNull(branchId, "branchId");
        requireNonNull(expected, "expected");
        requireNonNull(actual, "actual");
        requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return "diverged at step " + step + " (" + agent + " on " + branchId + "): " + reason;
    }
}
