package dev.orchestra4j.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.orchestra4j.core.AgentResponse;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LlmAgent against LangChain4j's real OpenAI client, talking to a local server that speaks chat completions. */
final class OpenAiWireFormatTest {

    private static final ObjectMapper JSON = LocalProviderServer.JSON;

    private LocalProviderServer server;
    private OpenAiChatModel model;

    @BeforeEach
    void startServer() throws IOException {
        server = LocalProviderServer.serving("/v1/chat/completions");
        model = OpenAiChatModel.builder()
                .baseUrl(server.baseUrl() + "/v1")
                .apiKey("test-key")
                .modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(10))
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static String toolCallCompletion(String id, String name, String arguments) {
        ObjectNode function = JSON.createObjectNode().put("name", name).put("arguments", arguments);
        ObjectNode call = JSON.createObjectNode().put("id", id).put("type", "function");
        call.set("function", function);
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").putNull("content");
        message.putArray("tool_calls").add(call);
        return completion(message, "tool_calls");
    }

    private static String textCompletion(String content) {
        return completion(JSON.createObjectNode().put("role", "assistant").put("content", content), "stop");
    }

    private static String completion(ObjectNode message, String finishReason) {
        ObjectNode choice = JSON.createObjectNode().put("index", 0).put("finish_reason", finishReason);
        choice.set("message", message);
        ObjectNode root = JSON.createObjectNode()
                .put("id", "chatcmpl-1")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L)
                .put("model", "gpt-4o-mini");
        root.putArray("choices").add(choice);
        root.putObject("usage")
                .put("prompt_tokens", 42)
                .put("completion_tokens", 7)
                .put("total_tokens", 49);
        return root.toString();
    }

    private static JsonNode tool(JsonNode request, String name) {
        for (JsonNode tool : request.path("tools")) {
            if (tool.path("function").path("name").asText().equals(name)) {
                return tool.path("function");
            }
        }
        throw new AssertionError("no tool '" + name + "' in " + request.path("tools"));
    }

    @Test
    void act_openAiToolCall_becomesHandOffAndRequestOffersThePeers() throws Exception {
        server.respond(toolCallCompletion(
                "call_abc",
                "invoke_agent",
                "{\"invocations\":[{\"agent_name\":\"Writer\",\"request\":\"Draft the plan\"}]}"));
        Steps steps = Steps.of("Hub").peers("Researcher", "Writer").canFinish();
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .systemPrompt("Plan.")
                .build();

        AgentResponse response = hub.act(steps.request());

        assertThat(response).isEqualTo(AgentResponse.handOff("Writer", "Draft the plan"));
        JsonNode request = server.received().getFirst();
        JsonNode agentName = tool(request, "invoke_agent")
                .path("parameters")
                .path("properties")
                .path("invocations")
                .path("items")
                .path("properties")
                .path("agent_name");
        assertThat(agentName.path("enum").toString()).isEqualTo("[\"Researcher\",\"Writer\"]");
        assertThat(tool(request, "finish").path("parameters").path("required").toString())
                .isEqualTo("[\"answer\"]");
        assertThat(request.path("tools").findValuesAsText("name")).doesNotContain("ask_user");
        assertThat(request.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(steps.recorder.tokens).singleElement().satisfies(t -> assertThat(t)
                .containsExactly(42, 7));
    }

    @Test
    void act_openAiInvalidPeer_toolResultCorrectsAndSecondCallFinishes() throws Exception {
        server.respond(toolCallCompletion(
                "call_1", "invoke_agent", "{\"invocations\":[{\"agent_name\":\"Bob\",\"request\":\"hi\"}]}"));
        server.respond(toolCallCompletion("call_2", "finish", "{\"answer\":\"Lisbon, 4 days\"}"));
        Steps steps = Steps.of("Hub").peers("Writer").canFinish();
        LlmAgent hub = LlmAgent.builder().name("Hub").model(model).build();

        AgentResponse response = hub.act(steps.request());

        assertThat(response).isEqualTo(AgentResponse.finish("Lisbon, 4 days"));
        JsonNode messages = server.received().get(1).path("messages");
        JsonNode assistant = messages.get(messages.size() - 2);
        JsonNode toolResult = messages.get(messages.size() - 1);
        assertThat(assistant.path("tool_calls").get(0).path("id").asText()).isEqualTo("call_1");
        assertThat(toolResult.path("role").asText()).isEqualTo("tool");
        assertThat(toolResult.path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(toolResult.path("content").asText()).contains("unknown agent 'Bob'", "Writer");
    }

    @Test
    void act_openAiJsonContent_isUnderstoodAsCoordination() throws Exception {
        server.respond(textCompletion(
                "```json\n{\"next_action\": \"ask_user\", \"action_input\": {\"question\": \"Budget?\"}}\n```"));
        LlmAgent hub = LlmAgent.builder().name("Hub").model(model).build();

        AgentResponse response = hub.act(Steps.of("Hub").canAskUser().request());

        assertThat(response).isEqualTo(AgentResponse.askUser("Budget?"));
    }
}
