package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link LlmAgent} was built with; immutable, so one agent serves concurrent branches.
 *
 * @param name the agent's node name (also used in prompts and diagnostics)
 * @param model the chat model
 * @param systemPrompt the user's instructions (the coordination section is added per step)
 * @param tools the regular tools, in the order the model sees them
 * @param answer the shape of {@code finish}'s answer
 * @param nativeTools whether coordination uses native tool calls (else JSON in the content)
 * @param maxToolRounds most model turns with only regular tool calls in one step
 * @param memory bounds the agent's memory per branch, or null for unbounded
 * @param toolSource supplies more tools per step (a LangChain4j {@code ToolProvider}), or null
 */
record AgentSetup(
        String name,
        ChatModel model,
        String systemPrompt,
        List<RegularTool> tools,
        AnswerSchema answer,
        boolean nativeTools,
        int maxToolRounds,
        @Nullable MemoryWindow memory,
        @Nullable ToolSource toolSource) {

    /** The {@link ChatMemory} for a memory id (a LangChain4j {@code ChatMemoryProvider}, kept out of this type). */
    @FunctionalInterface
    interface MemoryWindow {
        ChatMemory get(Object memoryId);
    }

    /** The tools a LangChain4j {@code ToolProvider} supplies for one step. */
    @FunctionalInterface
    interface ToolSource {
        List<RegularTool> provide(Object memoryId, UserMessage userMessage);
    }

    AgentSetup {
        requireNonNull(name, "name");
        requireNonNull(model, "model");
        requireNonNull(systemPrompt, "systemPrompt");
        tools = List.copyOf(tools);
        requireNonNull(answer, "answer");
    }

    Optional<RegularTool> tool(String toolName) {
        return tools.stream().filter(t -> t.name().equals(toolName)).findFirst();
    }

    List<String> toolNames() {
        return tools.stream().map(RegularTool::name).toList();
    }
}
