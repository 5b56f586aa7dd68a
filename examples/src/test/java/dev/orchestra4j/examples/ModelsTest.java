package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ModelsTest {

    @Test
    void fromEnvironment_nothingSet_runsOffline() {
        assertThat(Models.fromEnvironment(Map.of())).isEmpty();
        assertThat(Models.fromEnvironment(Map.of("OPENAI_API_KEY", "  "))).isEmpty();
    }

    @Test
    void fromEnvironment_openAiKey_choosesOpenAiWithTheDefaultModelAndNeverShowsTheKey() {
        var choice = Models.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-secret", "OLLAMA_BASE_URL", "http://x"));

        assertThat(choice).hasValueSatisfying(c -> {
            assertThat(c.model()).isInstanceOf(OpenAiChatModel.class);
            assertThat(c.description()).contains("OpenAI gpt-4o-mini").doesNotContain("sk-secret");
        });
    }

    @Test
    void fromEnvironment_openAiModelAndBaseUrl_areUsed() {
        var choice = Models.fromEnvironment(Map.of(
                "OPENAI_API_KEY", "k", "OPENAI_MODEL", "gpt-4.1", "OPENAI_BASE_URL", "http://localhost:8080/v1"));

        assertThat(choice).hasValueSatisfying(c -> assertThat(c.description())
                .contains("OpenAI gpt-4.1 at http://localhost:8080/v1"));
    }

    @Test
    void fromEnvironment_ollamaUrl_choosesOllamaWithTheDefaultModel() {
        var choice = Models.fromEnvironment(Map.of("OLLAMA_BASE_URL", "http://localhost:11434"));

        assertThat(choice).hasValueSatisfying(c -> {
            assertThat(c.model()).isInstanceOf(OllamaChatModel.class);
            assertThat(c.description()).isEqualTo("Ollama llama3.1 at http://localhost:11434 (OLLAMA_BASE_URL)");
        });
    }
}
