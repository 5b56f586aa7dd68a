package dev.orchestra4j.core.replay;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * One recorded model call of an {@code LlmAgent} step.
 *
 * @param requestDigest SHA-256 (hex) of the request: its messages and the tools offered; replay matches on it
 * @param messages the request's messages as LangChain4j JSON (after redaction), system message first
 * @param tools the names of the tools offered with the request
 * @param response the model's reply ({@code AiMessage}) as LangChain4j JSON
 * @param inputTokens the input tokens the model reported (0 when it reported none)
 * @param outputTokens the output tokens the model reported
 * @param duration how long the call took when it was recorded
 */
public record ModelCall(
        String requestDigest,
        String messages,
        List<String> tools,
        String response,
        long inputTokens,
        long outputTokens,
        Duration duration) {

    public ModelCall {
        requireNonNull(requestDigest, "requestDigest");
        requireNonNull(messages, "messages");
        tools = List.copyOf(tools);
        requireNonNull(response, "response");
        requireNonNull(duration, "duration");
    }
}
