package dev.orchestra4j.core.llm;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.List;

/** The native coordination tools ({@code invoke_agent}, {@code finish}, {@code ask_user}) offered for one step. */
final class CoordinationTools {

    private CoordinationTools() {}

    static List<ToolSpecification> specifications(Offer offer) {
        List<ToolSpecification> specs = new ArrayList<>(3);
        if (offer.canInvoke()) {
            specs.add(invokeAgent(offer.peers()));
        }
        if (offer.canFinish()) {
            specs.add(finish(offer.answer()));
        }
        if (offer.canAskUser()) {
            specs.add(askUser());
        }
        return specs;
    }

    private static ToolSpecification invokeAgent(List<String> peers) {
        JsonObjectSchema item = JsonObjectSchema.builder()
                .addProperty(
                        "agent_name",
                        JsonEnumSchema.builder()
                                .enumValues(peers)
                                .description("the agent to hand work to")
                                .build())
                .addProperty(
                        "request",
                        JsonStringSchema.builder()
                                .description("what the agent should do, with everything it needs to know")
                                .build())
                .required("agent_name", "request")
                .build();
        return ToolSpecification.builder()
                .name(Offer.INVOKE_AGENT)
                .description("Hand work to other agents. One invocation hands the work off; several run in"
                        + " parallel and their answers come back to you together, one [from Agent] block each.")
                .parameters(JsonObjectSchema.builder()
                        .addProperty(
                                "invocations",
                                JsonArraySchema.builder().items(item).build())
                        .required("invocations")
                        .build())
                .build();
    }

    private static ToolSpecification finish(AnswerSchema answer) {
        return ToolSpecification.builder()
                .name(Offer.FINISH)
                .description("Deliver your final answer. Call this when your part of the task is complete.")
                .parameters(JsonObjectSchema.builder()
                        .addProperty("answer", answer.element())
                        .required("answer")
                        .build())
                .build();
    }

    private static ToolSpecification askUser() {
        return ToolSpecification.builder()
                .name(Offer.ASK_USER)
                .description("Ask the user a question when you need information only they have."
                        + " Their answer arrives as your next message.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("question", "the question for the user")
                        .required("question")
                        .build())
                .build();
    }
}
