package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An agent driven by any LangChain4j {@link ChatModel} (SPEC §3).
 *
 * <p>Each step the model sees a system message (its instructions plus a coordination section generated from the
 * topology), the agent's memory in this branch, and the input. It coordinates through native tool calls that are
 * offered only as the topology allows: {@code invoke_agent} (one invocation hands off, several fork; the agent names
 * are an enum of the node's peers), {@code finish} (with an edge to End) and {@code ask_user} (with an edge to User).
 * Regular tools run inside the step, each within {@code ExecutionConfig.toolTimeout}, until the model makes a
 * coordination call.
 *
 * <p>The agent forgives: an invalid coordination call (unknown peer, not permitted, malformed) is answered with a
 * corrective message naming the allowed options, up to {@code steeringRetries} times; plain-text answers are
 * re-prompted, with steering from {@code contentOnlySteeringThreshold} on, until {@code contentOnlyHardLimit}. Past
 * those limits the step fails with category {@code VALIDATION} and a message naming the agent and the problem. Model
 * exceptions are not caught: the engine classifies and retries them.
 *
 * <pre>{@code
 * Agent researcher = LlmAgent.builder()
 *         .name("Researcher")
 *         .model(chatModel)
 *         .systemPrompt("You find facts and cite sources.")
 *         .tools(new WebSearchTools())
 *         .build();
 * }</pre>
 *
 * <p>Models without tool calling can coordinate with a JSON object in their reply,
 * {@code {"next_action": "invoke_agent" | "finish" | "ask_user", "action_input": …}}, fenced or bare: switch native
 * tools off with {@link Builder#nativeTools(boolean)}; with native tools on, such a reply is understood too.
 *
 * <p>Instances are immutable and thread-safe: the memory lives in the request, so one agent can serve many branches.
 */
public final class LlmAgent implements Agent {

    private final AgentSetup setup;

    private LlmAgent(AgentSetup setup) {
        this.setup = setup;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this agent's settings, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(setup);
    }

    /** The node name this agent was built for. */
    public String name() {
        return setup.name();
    }

    /**
     * Runs one step. Appends the step's messages (input, model turns, tool results, and a synthetic result for the
     * final coordination call) to {@code request.memory()}.
     *
     * @throws InterruptedException when the step is interrupted (its timeout, or the session is cancelled)
     */
    @Override
    public AgentResponse act(AgentRequest request) throws InterruptedException {
        return new StepLoop(setup, request).run();
    }

    @Override
    public String toString() {
        return "LlmAgent[" + setup.name() + "]";
    }

    /** Builds an {@link LlmAgent}; {@code name} and {@code model} are required. */
    public static final class Builder {
        private String name = "";
        private @Nullable ChatModel model;
        private String systemPrompt = "";
        private final List<RegularTool> tools = new ArrayList<>();
        private AnswerSchema answer = AnswerSchema.FREE;
        private boolean nativeTools = true;
        private int maxToolRounds = 25;
        private AgentSetup.@Nullable MemoryWindow memory;
        private AgentSetup.@Nullable ToolSource toolSource;

        private Builder() {}

        private Builder(AgentSetup setup) {
            name = setup.name();
            model = setup.model();
            systemPrompt = setup.systemPrompt();
            tools.addAll(setup.tools());
            answer = setup.answer();
            nativeTools = setup.nativeTools();
            maxToolRounds = setup.maxToolRounds();
            memory = setup.memory();
            toolSource = setup.toolSource();
        }

        /** The agent's node name in the topology. */
        public Builder name(String name) {
            requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        public Builder model(ChatModel model) {
            this.model = requireNonNull(model, "model");
            return this;
        }

        /** The agent's instructions; a coordination section is appended per step. */
        public Builder systemPrompt(String systemPrompt) {
            this.systemPrompt = requireNonNull(systemPrompt, "systemPrompt");
            return this;
        }

        /** Objects whose {@code @Tool} methods become regular tools. */
        public Builder tools(Object... toolObjects) {
            for (Object toolObject : toolObjects) {
                MethodTools.from(requireNonNull(toolObject, "tool object")).forEach(this::add);
            }
            return this;
        }

        /** One regular tool given as a specification and the code that runs it. */
        public Builder tool(ToolSpecification specification, ToolHandler handler) {
            requireNonNull(handler, "handler");
            add(new RegularTool(specification, (call, memoryId) -> handler.execute(call)));
            return this;
        }

        /** The type of the final answer: {@code finish}'s answer follows its JSON schema and is parsed into it. */
        public Builder outputSchema(Class<?> type) {
            this.answer = AnswerSchema.of(requireNonNull(type, "type"));
            return this;
        }

        /** A JSON schema for the final answer, which is then parsed into a {@code Map}. */
        public Builder outputSchema(JsonObjectSchema schema) {
            this.answer = AnswerSchema.of(requireNonNull(schema, "schema"));
            return this;
        }

        /**
         * Bounds what the agent remembers: before every model call its messages on the branch pass through the {@link
         * ChatMemory} that {@code provider} returns for the id {@code "<sessionId>/<branchId>/<agent>"} (cleared
         * first), so that a {@code MessageWindowChatMemory} or {@code TokenWindowChatMemory} decides what the model
         * sees, and what is kept (and stored with the session) for the next step. Without it the memory grows with
         * the branch.
         *
         * <pre>{@code
         * LlmAgent.builder().name("Chat").model(model)
         *         .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
         *         .build();
         * }</pre>
         */
        public Builder chatMemoryProvider(ChatMemoryProvider provider) {
            requireNonNull(provider, "provider");
            this.memory = provider::get;
            return this;
        }

        /**
         * Tools supplied per step by a LangChain4j {@link ToolProvider}, e.g. an MCP client's {@code McpToolProvider}.
         * It is asked once per step with the step's user message and the session id as the chat memory id; its tools
         * run like {@code @Tool} methods (within {@code toolTimeout}, errors returned to the model) and their
         * executors receive the session id as memory id. A provided tool whose name is taken by a coordination tool or
         * by one of the agent's own tools is an error naming it.
         */
        public Builder toolProvider(ToolProvider provider) {
            requireNonNull(provider, "provider");
            this.toolSource = (memoryId, userMessage) -> {
                List<RegularTool> provided = new ArrayList<>();
                provider.provideTools(new ToolProviderRequest(memoryId, userMessage))
                        .aiServiceTools()
                        .forEach(tool ->
                                provided.add(new RegularTool(tool.toolSpecification(), tool.toolExecutor()::execute)));
                return provided;
            };
            return this;
        }

        /** Whether coordination uses native tool calls (default) or JSON in the reply, for models without tools. */
        public Builder nativeTools(boolean nativeTools) {
            this.nativeTools = nativeTools;
            return this;
        }

        /** Most model turns with only regular tool calls in one step; one more fails the step (default 25). */
        public Builder maxToolRounds(int maxToolRounds) {
            if (maxToolRounds <= 0) {
                throw new IllegalArgumentException("maxToolRounds must be positive, was " + maxToolRounds);
            }
            this.maxToolRounds = maxToolRounds;
            return this;
        }

        public LlmAgent build() {
            if (name.isEmpty()) {
                throw new IllegalStateException("name is required: LlmAgent.builder().name(\"Researcher\")");
            }
            if (model == null) {
                throw new IllegalStateException("model is required for agent '" + name + "'");
            }
            if (!nativeTools && !tools.isEmpty()) {
                throw new IllegalStateException("agent '" + name + "' has regular tools, which need native tool"
                        + " calling; remove nativeTools(false) or the tools");
            }
            return new LlmAgent(new AgentSetup(
                    name, model, systemPrompt, tools, answer, nativeTools, maxToolRounds, memory, toolSource));
        }

        private void add(RegularTool tool) {
            String toolName = tool.name();
            if (Offer.ALL.contains(toolName)) {
                throw new IllegalArgumentException("tool name '" + toolName + "' is reserved for coordination");
            }
            Set<String> names = new HashSet<>();
            tools.forEach(t -> names.add(t.name()));
            if (!names.add(toolName)) {
                throw new IllegalArgumentException("duplicate tool name '" + toolName + "'");
            }
            tools.add(tool);
        }
    }
}
