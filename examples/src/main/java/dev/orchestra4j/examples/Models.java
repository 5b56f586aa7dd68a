package dev.orchestra4j.examples;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the chat model for the LLM-driven examples from the environment: {@code OPENAI_API_KEY} (with
 * {@code OPENAI_MODEL}, default {@code gpt-4o-mini}, and optional {@code OPENAI_BASE_URL}) selects OpenAI;
 * otherwise {@code OLLAMA_BASE_URL} (with {@code OLLAMA_MODEL}, default {@code llama3.1}) selects Ollama; otherwise
 * the examples run offline on their scripted models.
 */
final class Models {

    static final String OPENAI_DEFAULT_MODEL = "gpt-4o-mini";
    static final String OLLAMA_DEFAULT_MODEL = "llama3.1";

    /** A model and how to name it in the output (never the API key). */
    record Choice(ChatModel model, String description) {}

    private Models() {}

    /** The real model the environment asks for, or empty to run offline. */
    static Optional<Choice> fromEnvironment(Map<String, String> env) {
        String apiKey = value(env, "OPENAI_API_KEY");
        if (!apiKey.isEmpty()) {
            String name = orDefault(value(env, "OPENAI_MODEL"), OPENAI_DEFAULT_MODEL);
            String baseUrl = value(env, "OPENAI_BASE_URL");
            OpenAiChatModel.OpenAiChatModelBuilder builder =
                    OpenAiChatModel.builder().apiKey(apiKey).modelName(name).timeout(Duration.ofSeconds(120));
            if (!baseUrl.isEmpty()) {
                builder.baseUrl(baseUrl);
            }
            return Optional.of(new Choice(
                    builder.build(),
                    "OpenAI " + name + (baseUrl.isEmpty() ? "" : " at " + baseUrl) + " (OPENAI_API_KEY)"));
        }
        String ollamaUrl = value(env, "OLLAMA_BASE_URL");
        if (!ollamaUrl.isEmpty()) {
            String name = orDefault(value(env, "OLLAMA_MODEL"), OLLAMA_DEFAULT_MODEL);
            ChatModel model = OllamaChatModel.builder()
                    .baseUrl(ollamaUrl)
                    .modelName(name)
                    .timeout(Duration.ofSeconds(300))
                    .build();
            return Optional.of(new Choice(model, "Ollama " + name + " at " + ollamaUrl + " (OLLAMA_BASE_URL)"));
        }
        return Optional.empty();
    }

    private static String value(Map<String, String> env, String key) {
        String value = env.get(key);
        return value == null ? "" : value.strip();
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }
}
