package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.internal.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link ChatModel} that answers from a script, so topologies of {@link LlmAgent}s run offline, deterministically,
 * through the real tool-call path. Each turn is an {@link AiMessage} (a tool call, plain text, JSON content) or a
 * function of the {@link ChatRequest}. One model can serve several agents: scripts keyed by agent name are matched
 * against the identity line of the system message {@code LlmAgent} writes; unkeyed turns serve everyone else.
 *
 * <pre>{@code
 * import static dev.orchestra4j.core.llm.ScriptedChatModel.*;
 *
 * ScriptedChatModel model = ScriptedChatModel.builder()
 *         .agent("Hub", invoke("Researcher", "Find the boiling point of water"), finish("100 °C at sea level"))
 *         .agent("Researcher", text("Let me think."), invoke("Hub", "100 °C at 1 atm"))
 *         .tokenUsage(120, 30)
 *         .build();
 * LlmAgent hub = LlmAgent.builder().name("Hub").model(model).build();
 * LlmAgent researcher = LlmAgent.builder().name("Researcher").model(model).build();
 *
 * // … run a topology with both agents, then assert what the model saw:
 * assertThat(model.requests("Researcher")).hasSize(2); // the plain-text turn was re-prompted
 * }</pre>
 *
 * <p>A script that runs out fails the model call with an {@link IllegalStateException} naming the agent, unless
 * {@link Builder#otherwise(Function)} says what to answer then. Tool calls without an id get {@code call_1},
 * {@code call_2}, … Thread-safe; turns of one script are served in order (an agent that runs in two parallel branches
 * shares its script, so give such agents order-independent turns).
 */
public final class ScriptedChatModel implements ChatModel {

    private static final String ANY = "";

    private final Map<String, Queue<Function<ChatRequest, AiMessage>>> scripts;
    private final Function<ChatRequest, AiMessage> otherwise;
    private final TokenUsage tokenUsage;
    private final Queue<ChatRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger callIds = new AtomicInteger();

    private ScriptedChatModel(Builder builder) {
        Map<String, Queue<Function<ChatRequest, AiMessage>>> copy = new LinkedHashMap<>();
        builder.scripts.forEach((agent, turns) -> copy.put(agent, new ConcurrentLinkedQueue<>(turns)));
        this.scripts = Map.copyOf(copy);
        this.otherwise = builder.otherwise;
        this.tokenUsage = builder.tokenUsage;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A model that answers every request with these turns, in order. */
    public static ScriptedChatModel of(AiMessage... turns) {
        return builder().reply(turns).build();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        requests.add(request);
        Optional<String> agent = Prompts.agentOf(request.messages());
        Queue<Function<ChatRequest, AiMessage>> script =
                agent.filter(scripts::containsKey).map(scripts::get).orElse(scripts.get(ANY));
        Function<ChatRequest, AiMessage> turn = script == null ? null : script.poll();
        AiMessage message = withIds((turn == null ? otherwise : turn).apply(request));
        return ChatResponse.builder()
                .aiMessage(message)
                .tokenUsage(tokenUsage)
                .finishReason(message.hasToolExecutionRequests() ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
                .build();
    }

    /** Every request received so far, in arrival order. */
    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests an {@link LlmAgent} named {@code agent} sent, in arrival order. */
    public List<ChatRequest> requests(String agent) {
        return requests.stream()
                .filter(r -> Prompts.agentOf(r.messages()).filter(agent::equals).isPresent())
                .toList();
    }

    private AiMessage withIds(AiMessage message) {
        if (!message.hasToolExecutionRequests()) {
            return message;
        }
        List<ToolExecutionRequest> calls = new ArrayList<>();
        for (ToolExecutionRequest call : message.toolExecutionRequests()) {
            calls.add(
                    call.id() != null
                            ? call
                            : call.toBuilder()
                                    .id("call_" + callIds.incrementAndGet())
                                    .build());
        }
        return message.toBuilder().toolExecutionRequests(calls).build();
    }

    // ---- turns ----

    /** A plain-text reply (also how to script JSON content for the no-tools fallback). */
    public static AiMessage text(String text) {
        return AiMessage.from(text);
    }

    /** A reply with one tool call, e.g. {@code toolCall("search", "{\"query\": \"LangChain4j\"}")}. */
    public static AiMessage toolCall(String name, String argumentsJson) {
        return toolCalls(call(name, argumentsJson));
    }

    /** A reply with several tool calls in one message. */
    public static AiMessage toolCalls(ToolExecutionRequest... calls) {
        return AiMessage.from(Arrays.asList(calls));
    }

    /** One tool call, for {@link #toolCalls}. */
    public static ToolExecutionRequest call(String name, String argumentsJson) {
        return ToolExecutionRequest.builder()
                .name(name)
                .arguments(argumentsJson)
                .build();
    }

    /** An {@code invoke_agent} call that hands off to one agent. */
    public static AiMessage invoke(String agent, String request) {
        return fork(Invocation.of(agent, request));
    }

    /** An {@code invoke_agent} call with several invocations (a parallel fork). */
    public static AiMessage fork(Invocation... invocations) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Invocation invocation : invocations) {
            items.add(Map.of("agent_name", invocation.agent(), "request", invocation.request()));
        }
        return toolCall(Offer.INVOKE_AGENT, Json.write(Map.of("invocations", items)));
    }

    /** A {@code finish} call; {@code answer} is written as JSON (a string, a map, a record…). */
    public static AiMessage finish(Object answer) {
        return toolCall(Offer.FINISH, Json.write(Map.of("answer", answer)));
    }

    /** An {@code ask_user} call. */
    public static AiMessage askUser(String question) {
        return toolCall(Offer.ASK_USER, Json.write(Map.of("question", question)));
    }

    /** Builds a {@link ScriptedChatModel}. */
    public static final class Builder {
        private final Map<String, List<Function<ChatRequest, AiMessage>>> scripts = new LinkedHashMap<>();
        private Function<ChatRequest, AiMessage> otherwise = Builder::exhausted;
        private TokenUsage tokenUsage = new TokenUsage(0, 0);

        private Builder() {}

        /** Turns for any request not matched by an {@link #agent} script, in order. */
        public Builder reply(AiMessage... turns) {
            return agent(ANY, turns);
        }

        /** A plain-text turn for any request. */
        public Builder reply(String text) {
            return reply(text(text));
        }

        /** A computed turn for any request, e.g. one that echoes the input. */
        public Builder reply(Function<ChatRequest, AiMessage> turn) {
            return agent(ANY, turn);
        }

        /** Turns for the {@link LlmAgent} named {@code agent}, in order. */
        public Builder agent(String agent, AiMessage... turns) {
            for (AiMessage turn : turns) {
                requireNonNull(turn, "turn");
                agent(agent, request -> turn);
            }
            return this;
        }

        /** A computed turn for the {@link LlmAgent} named {@code agent}. */
        public Builder agent(String agent, Function<ChatRequest, AiMessage> turn) {
            requireNonNull(agent, "agent");
            requireNonNull(turn, "turn");
            scripts.computeIfAbsent(agent, a -> new ArrayList<>()).add(turn);
            return this;
        }

        /** What to answer once the matching script has run out (by default the call fails). */
        public Builder otherwise(Function<ChatRequest, AiMessage> answer) {
            this.otherwise = requireNonNull(answer, "answer");
            return this;
        }

        /** The token usage every response reports (default 0 in, 0 out). */
        public Builder tokenUsage(int input, int output) {
            if (input < 0 || output < 0) {
                throw new IllegalArgumentException(
                        "token counts must not be negative, were " + input + " and " + output);
            }
            this.tokenUsage = new TokenUsage(input, output);
            return this;
        }

        public ScriptedChatModel build() {
            return new ScriptedChatModel(this);
        }

        private static AiMessage exhausted(ChatRequest request) {
            String agent = Prompts.agentOf(request.messages())
                    .map(a -> "agent '" + a + "'")
                    .orElse("this request");
            throw new IllegalStateException("ScriptedChatModel has no more turns for " + agent);
        }
    }
}
