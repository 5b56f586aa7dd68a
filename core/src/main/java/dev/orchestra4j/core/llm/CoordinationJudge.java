package dev.orchestra4j.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import java.util.ArrayList;
import java.util.List;

/** Checks a coordination call against what the topology allows this step, and turns it into a response. */
final class CoordinationJudge {

    private CoordinationJudge() {}

    static Decision judge(CoordinationCall call, Offer offer) {
        if (!Offer.ALL.contains(call.name())) {
            return new Decision.Rejected("unknown tool '" + call.name() + "'");
        }
        if (!offer.offers(call.name())) {
            return new Decision.Rejected("'" + call.name() + "' is not permitted for agent '" + offer.agent() + "' ("
                    + whyNot(call.name()) + ")");
        }
        if (call.arguments().isEmpty()) {
            return new Decision.Rejected("the arguments of '" + call.name() + "' are not a JSON object: "
                    + Steering.snippet(call.rawArguments(), 200));
        }
        JsonNode arguments = call.arguments().get();
        return switch (call.name()) {
            case Offer.INVOKE_AGENT -> invoke(arguments, offer);
            case Offer.FINISH -> finish(arguments, offer);
            default -> askUser(arguments);
        };
    }

    private static String whyNot(String tool) {
        return switch (tool) {
            case Offer.INVOKE_AGENT -> "it has no agents to invoke";
            case Offer.FINISH -> "it has no edge to End";
            default -> "it has no edge to User";
        };
    }

    private static Decision invoke(JsonNode arguments, Offer offer) {
        JsonNode items = arguments.path("invocations");
        if (!items.isArray() || items.isEmpty()) {
            return new Decision.Rejected("'invoke_agent' needs a non-empty 'invocations' array");
        }
        List<Invocation> invocations = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            String agent = item.path("agent_name").asText("").strip();
            if (!offer.peers().contains(agent)) {
                return new Decision.Rejected("unknown agent '" + agent + "' in 'invoke_agent'; you may invoke: "
                        + String.join(", ", offer.peers()));
            }
            JsonNode request = item.path("request");
            if (request.isMissingNode() || request.isNull()) {
                return new Decision.Rejected("the invocation of '" + agent + "' has no 'request'");
            }
            invocations.add(Invocation.of(agent, request.isTextual() ? request.asText() : request.toString()));
        }
        return invocations.size() == 1 ? handOff(invocations.getFirst()) : fork(invocations);
    }

    private static Decision handOff(Invocation invocation) {
        return new Decision.Accepted(
                AgentResponse.handOff(invocation.agent(), invocation.request()),
                "Handed off to " + invocation.agent() + ".");
    }

    private static Decision fork(List<Invocation> invocations) {
        List<String> agents = invocations.stream().map(Invocation::agent).toList();
        return new Decision.Accepted(
                AgentResponse.parallel(invocations),
                "Dispatched to " + String.join(", ", agents) + "; their answers will arrive together.");
    }

    private static Decision finish(JsonNode arguments, Offer offer) {
        try {
            Object answer = offer.answer().parse(arguments.path("answer"));
            return new Decision.Accepted(AgentResponse.finish(answer), "Answer delivered.");
        } catch (IllegalArgumentException e) {
            return new Decision.Rejected("invalid 'finish': " + e.getMessage());
        }
    }

    private static Decision askUser(JsonNode arguments) {
        String question = arguments.path("question").asText("");
        if (question.isBlank()) {
            return new Decision.Rejected("'ask_user' needs a non-blank 'question'");
        }
        return new Decision.Accepted(
                AgentResponse.askUser(question), "Question sent to the user; the answer arrives as a message.");
    }
}
