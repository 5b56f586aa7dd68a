package dev.orchestra4j.core.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.Input;
import dev.orchestra4j.core.internal.Json;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds what the model reads: a system message (identity, the user's prompt, a coordination section generated from
 * the step's {@link Offer}) and one user message per step carrying the input.
 */
final class Prompts {

    private static final Pattern IDENTITY = Pattern.compile("^You are the agent \"([^\"\\n]+)\"");

    private Prompts() {}

    static SystemMessage system(String agent, String systemPrompt, Offer offer, boolean nativeTools) {
        StringBuilder text = new StringBuilder("You are the agent \"" + agent + "\" in a multi-agent workflow.\n\n");
        if (!systemPrompt.isBlank()) {
            text.append(systemPrompt.strip()).append("\n\n");
        }
        text.append(coordination(offer));
        if (!nativeTools) {
            text.append(jsonInstructions(offer));
        }
        return SystemMessage.from(text.toString());
    }

    /** The agent named in a system message this class wrote, if the request has one. */
    static Optional<String> agentOf(List<ChatMessage> messages) {
        for (ChatMessage message : messages) {
            if (message instanceof SystemMessage system) {
                Matcher matcher = IDENTITY.matcher(system.text());
                return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String coordination(Offer offer) {
        StringBuilder text = new StringBuilder("## Coordination\n")
                .append("Work in steps. Use your other tools as needed, then end every step with exactly one")
                .append(" coordination call. Plain text replies are not delivered to anyone.\n");
        if (offer.canInvoke()) {
            text.append("- invoke_agent: hand work to ")
                    .append(String.join(", ", offer.peers()))
                    .append(". One invocation hands the work off (you do not wait; the agent may send work back to")
                    .append(" you); several run in parallel and their answers return to you together, one")
                    .append(" [from Agent] block each. Invoke one at a time when you need an answer first.\n");
        }
        if (offer.canFinish()) {
            text.append("- finish: deliver your final answer when your part of the task is complete")
                    .append(offer.answer().isStructured() ? ", following the schema of its 'answer'.\n" : ".\n");
        }
        if (offer.canAskUser()) {
            text.append("- ask_user: ask the user when you need information only they have.\n");
        }
        return text.toString();
    }

    private static String jsonInstructions(Offer offer) {
        return "\nYou cannot call tools directly. To make a coordination call, reply with only a JSON object:\n"
                + "```json\n" + jsonExample(offer) + "\n```\n"
                + "next_action is one of: " + String.join(", ", offer.toolNames()) + ". action_input is"
                + " {\"invocations\": [{\"agent_name\": …, \"request\": …}]} for invoke_agent, {\"answer\": …} for"
                + " finish, {\"question\": …} for ask_user.\n";
    }

    static String jsonExample(Offer offer) {
        if (offer.canInvoke()) {
            return "{\"next_action\": \"invoke_agent\", \"action_input\": {\"invocations\": [{\"agent_name\": \""
                    + offer.peers().getFirst() + "\", \"request\": \"<your message>\"}]}}";
        }
        if (offer.canFinish()) {
            return "{\"next_action\": \"finish\", \"action_input\": {\"answer\": \"<your answer>\"}}";
        }
        return "{\"next_action\": \"ask_user\", \"action_input\": {\"question\": \"<your question>\"}}";
    }

    /** The step's input as a user message; the agent's first step in the branch also states the task. */
    static UserMessage input(AgentRequest request, boolean firstStep) {
        StringBuilder text = new StringBuilder();
        request.error().ifPresent(error -> text.append(errorNote(error)));
        String input = request.inputText();
        String task = request.task() instanceof String s ? s : Json.write(request.task());
        boolean inputIsTask = request.task().equals(request.input());
        if (firstStep) {
            text.append("Task:\n").append(task);
            if (inputIsTask) {
                return UserMessage.from(text.toString());
            }
            text.append("\n\n");
        }
        switch (request.received()) {
            case Input.Task first -> text.append(input);
            case Input.Joined joined -> text.append(input);
            case Input.Message message ->
                text.append("[from ").append(message.from()).append("]\n").append(input);
            case Input.Answer answer -> text.append("[from User]\n").append(input);
            case Input.ErrorRoute route ->
                text.append("[from ")
                        .append(route.error().failedAgent())
                        .append("]\n")
                        .append(input);
        }
        return UserMessage.from(text.toString());
    }

    private static String errorNote(ErrorContext error) {
        return "Note: a previous attempt by " + error.failedAgent() + " failed (" + error.category() + "): "
                + error.message() + "\n\n";
    }
}
