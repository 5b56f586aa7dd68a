/**
 * LangChain4j-backed agents. {@code LlmAgent} drives any {@code ChatModel} through coordination tools that the
 * topology gates ({@code invoke_agent}, {@code finish}, {@code ask_user}), runs regular tools inside the step (from
 * {@code @Tool} objects, or a {@code ToolSpecification} with a {@code ToolHandler}), steers a model that coordinates
 * badly, and falls back to JSON in the reply for models without tool calling. {@code ScriptedChatModel} replays
 * prepared answers so topologies of LLM agents run offline and in tests. Everything else here is package-private:
 * prompt building, tool-call judging, steering texts and tool execution.
 */
@NullMarked
package dev.orchestra4j.core.llm;

import org.jspecify.annotations.NullMarked;
