/**
 * LangChain4j-backed agents: {@code LlmAgent} drives any {@code ChatModel} through topology-gated coordination tools,
 * and {@code ScriptedChatModel} replays prepared answers so topologies run offline and in tests.
 */
@NullMarked
package dev.orchestra4j.core.llm;

import org.jspecify.annotations.NullMarked;
