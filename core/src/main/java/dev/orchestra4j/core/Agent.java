package dev.orchestra4j.core;

/**
 * One node's behaviour: reads a request, decides what happens next.
 *
 * <p>Agents are plain Java (a lambda is enough) or LangChain4j-backed ({@code LlmAgent}). An agent may block; each
 * call runs on a virtual thread and is interrupted when its step times out or the session is cancelled. Throwing is
 * the same as returning {@link AgentResponse#fail(String)} with the exception as the cause: the error is classified,
 * retried if retryable, and routed (SPEC §4.6).
 */
@FunctionalInterface
public interface Agent {

    /**
     * Performs one step.
     *
     * @param request what this step sees: input, memory, peers, context
     * @return the coordination decision
     * @throws Exception any failure, classified by the session's error handling
     */
    AgentResponse act(AgentRequest request) throws Exception;
}
