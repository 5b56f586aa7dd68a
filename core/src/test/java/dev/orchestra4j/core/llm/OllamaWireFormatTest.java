package dev.orchestra4j.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LlmAgent against LangChain4j's real Ollama client, talking to a local server that speaks {@code /api/chat}. */
final class OllamaWireFormatTest {

    private static final ObjectMapper JSON = LocalProviderServer.JSON;

    private LocalProviderServer server;
    private OllamaChatModel model;

    @BeforeEach
    void startServer() throws IOException {
        server = LocalProviderServer.serving("/api/chat");
        model = OllamaChatModel.builder()
                .maxRetries(0)
                .baseUrl(server.baseUrl())
                .modelName("llama3.1")
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** An Ollama chat response with one tool call; Ollama sends arguments as an object and no call id. */
    private static String toolCallResponse(String name, String arguments) throws IOException {
        ObjectNode function = JSON.createObjectNode().put("name", name);
        function.set("arguments", JSON.readTree(arguments));
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", "");
        message.putArray("tool_calls").addObject().set("function", function);
        ObjectNode root = JSON.createObjectNode()
                .put("model", "llama3.1")
                .put("created_at", "2026-11-22T23:00:00.000Z")
                .put("done_reason", "stop")
                .put("done", true)
                .put("prompt_eval_count", 30)
                .put("eval_count", 5);
        root.set("message", message);
        return root.toString();
    }

    @Test
    void act_ollamaToolCallWithTwoInvocations_forksAndRequestOffersThePeers() throws Exception {
        server.respond(toolCallResponse(
                "invoke_agent",
                "{\"invocations\":[{\"agent_name\":\"Researcher\",\"request\":\"facts\"},"
                        + "{\"agent_name\":\"Writer\",\"request\":\"prose\"}]}"));
        Steps steps = Steps.of("Hub").peers("Researcher", "Writer");
        LlmAgent hub = LlmAgent.builder().name("Hub").model(model).build();

        AgentResponse response = hub.act(steps.request());

        assertThat(response)
                .isEqualTo(
                        AgentResponse.parallel(Invocation.of("Researcher", "facts"), Invocation.of("Writer", "prose")));
        JsonNode tools = server.received().getFirst().path("tools");
        assertThat(tools.findValuesAsText("name")).containsExactly("invoke_agent");
        assertThat(tools.findPath("agent_name").path("enum").toString()).isEqualTo("[\"Researcher\",\"Writer\"]");
        assertThat(steps.recorder.tokens).singleElement().satisfies(t -> assertThat(t)
                .containsExactly(30, 5));
    }

    @Test
    void act_ollamaInvalidPeer_isCorrectedThroughTheWire() throws Exception {
        server.respond(toolCallResponse(
                        "invoke_agent", "{\"invocations\":[{\"agent_name\":\"Bob\",\"request\":\"hi\"}]}"))
                .respond(toolCallResponse("finish", "{\"answer\":\"done\"}"));
        LlmAgent hub = LlmAgent.builder().name("Hub").model(model).build();

        AgentResponse response =
                hub.act(Steps.of("Hub").peers("Writer").canFinish().request());

        assertThat(response).isEqualTo(AgentResponse.finish("done"));
        JsonNode messages = server.received().get(1).path("messages");
        JsonNode toolResult = messages.get(messages.size() - 1);
        assertThat(toolResult.path("role").asText()).isEqualTo("tool");
        assertThat(toolResult.path("content").asText()).contains("unknown agent 'Bob'", "Writer");
    }
}
