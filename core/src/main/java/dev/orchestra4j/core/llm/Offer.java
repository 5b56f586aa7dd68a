package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.AgentRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordination one step may use, read from the request (the topology decides): whom it may invoke, whether it
 * may finish, whether it may ask the user.
 *
 * @param agent the agent's node name
 * @param peers the agents {@code invoke_agent} may name
 * @param canFinish whether {@code finish} is offered
 * @param canAskUser whether {@code ask_user} is offered
 * @param answer the shape of {@code finish}'s answer
 */
record Offer(String agent, List<String> peers, boolean canFinish, boolean canAskUser, AnswerSchema answer) {

    static final String INVOKE_AGENT = "invoke_agent";
    static final String FINISH = "finish";
    static final String ASK_USER = "ask_user";
    static final List<String> ALL = List.of(INVOKE_AGENT, FINISH, ASK_USER);

    Offer {
        requireNonNull(agent, "agent");
        peers = List.copyOf(peers);
        requireNonNull(answer, "answer");
    }

    static Offer of(AgentRequest request, AnswerSchema answer) {
        return new Offer(request.agent(), request.peers(), request.canFinish(), request.canAskUser(), answer);
    }

    boolean canInvoke() {
        return !peers.isEmpty();
    }

    /** The coordination tools offered, in a fixed order. */
    List<String> toolNames() {
        List<String> names = new ArrayList<>(3);
        if (canInvoke()) {
            names.add(INVOKE_AGENT);
        }
        if (canFinish) {
            names.add(FINISH);
        }
        if (canAskUser) {
            names.add(ASK_USER);
        }
        return names;
    }

    boolean offers(String tool) {
        return toolNames().contains(tool);
    }

    /** The offered tools for people and models to read, e.g. {@code invoke_agent (agents: A, B), finish}. */
    String describe() {
        List<String> parts = new ArrayList<>(3);
        for (String tool : toolNames()) {
            parts.add(tool.equals(INVOKE_AGENT) ? tool + " (agents: " + String.join(", ", peers) + ")" : tool);
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
