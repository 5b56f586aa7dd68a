package dev.orchestra4j.flow.internal;

import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import java.util.List;

/** Calls a user's agent from inside a compiled node, with the node's request reshaped. */
public final class Requests {

    private Requests() {}

    /**
     * {@code request} with another input, no peers and an edge to End, so the agent answers with finish. The error
     * context of an error route is dropped: the flow has already rendered it into {@code input}, and keeping it would
     * make the agent's typed input an {@code Input.ErrorRoute} instead of the prompt.
     */
    public static AgentRequest withInput(AgentRequest request, Object input) {
        return request.toBuilder()
                .input(input)
                .error(java.util.Optional.empty())
                .peers(List.of())
                .canFinish(true)
                .canAskUser(false)
                .build();
    }

    /** What a user's agent answered, as a value or a failure. */
    public sealed interface Answer {
        /** The agent answered a value. */
        record Value(Object value) implements Answer {}

        /** The agent failed or answered something a task cannot do. */
        record Failure(String message, ErrorCategory category) implements Answer {}
    }

    /**
     * Calls {@code agent} and reads its answer: finish or reply give the value; fail, an exception or any other
     * coordination is a failure. An interrupt (step timeout, cancellation) propagates.
     */
    public static Answer call(dev.orchestra4j.core.Agent agent, AgentRequest request) throws InterruptedException {
        AgentResponse response;
        try {
            response = agent.act(request);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted: " + e.getMessage());
            }
            return new Answer.Failure(describe(e), ErrorCategory.AGENT);
        }
        return switch (response) {
            case AgentResponse.Finish finish -> new Answer.Value(finish.answer());
            case AgentResponse.Reply reply -> new Answer.Value(reply.content());
            case AgentResponse.Fail fail -> new Answer.Failure(fail.reason(), fail.category());
            case AgentResponse.Invoke invoke -> unsupported("invoked '" + invoke.agent() + "'", request);
            case AgentResponse.Parallel parallel -> unsupported("forked", request);
            case AgentResponse.AskUser ask -> unsupported("asked the user", request);
        };
    }

    private static Answer unsupported(String what, AgentRequest request) {
        return new Answer.Failure(
                "agent of '" + request.agent() + "' " + what + "; a task's agent must answer with finish or reply",
                ErrorCategory.VALIDATION);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
