package dev.orchestra4j.core.llm;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** LangChain4j pieces plugged into an {@link LlmAgent}: bounded chat memory, tool memory ids, tool providers. */
final class LlmAgentInteropTest {

    private static final Topology SOLO =
            Topology.builder().edge("Start -> Solo").edge("Solo -> End").build();

    private static OrchestraResult run(LlmAgent agent, String sessionId) {
        return Orchestra.run(
                "go",
                SOLO,
                RunOptions.builder()
                        .agents(AgentRegistry.create().register("Solo", agent))
                        .context(Map.of("session_id", sessionId))
                        .build());
    }

    @Test
    void chatMemoryProvider_windowsWhatTheModelSeesAndWhatIsKept() throws Exception {
        List<Object> memoryIds = new CopyOnWriteArrayList<>();
        ScriptedChatModel model = ScriptedChatModel.of(finish("ok"));
        LlmAgent agent = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .chatMemoryProvider(id -> {
                    memoryIds.add(id);
                    return MessageWindowChatMemory.withMaxMessages(4);
                })
                .build();
        List<ChatMessage> history = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            history.add(UserMessage.from("question " + i));
            history.add(AiMessage.from("answer " + i));
        }
        Steps steps = Steps.of("Hub").canFinish().memory(history);

        agent.act(steps.request());

        List<ChatMessage> sent = model.requests().getFirst().messages();
        assertThat(sent).hasSize(1 + 4); // the system message and a window of four
        assertThat(((UserMessage) sent.getLast()).singleText()).contains("Plan a trip");
        assertThat(history).as("what the branch keeps for its next step").hasSizeLessThanOrEqualTo(4);
        assertThat(memoryIds).contains("s-1/b1/Hub");
    }

    static final class Notes {
        final List<Object> ids = new CopyOnWriteArrayList<>();

        @Tool("Remembers a note")
        String remember(String note, @ToolMemoryId String memoryId) {
            ids.add(memoryId);
            return "noted " + note;
        }
    }

    @Test
    void toolMemoryId_receivesTheSessionId() {
        Notes notes = new Notes();
        ScriptedChatModel model = ScriptedChatModel.of(toolCall("remember", "{\"note\":\"milk\"}"), finish("done"));

        OrchestraResult result =
                run(LlmAgent.builder().name("Solo").model(model).tools(notes).build(), "session-42");

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(notes.ids).containsExactly("session-42");
    }

    @Test
    void toolProvider_suppliesToolsPerStepThatRunWithTheSessionAsMemoryId() {
        List<ToolProviderRequest> asked = new CopyOnWriteArrayList<>();
        ToolSpecification weather = ToolSpecification.builder()
                .name("weather")
                .description("Weather in a city")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("city")
                        .required("city")
                        .build())
                .build();
        ToolExecutor executor = (call, memoryId) -> "sunny (" + call.arguments() + ", " + memoryId + ")";
        ToolProvider provider = request -> {
            asked.add(request);
            return ToolProviderResult.builder().add(weather, executor).build();
        };
        ScriptedChatModel model =
                ScriptedChatModel.of(toolCall("weather", "{\"city\":\"Porto\"}"), finish("take sunglasses"));

        OrchestraResult result = run(
                LlmAgent.builder()
                        .name("Solo")
                        .model(model)
                        .toolProvider(provider)
                        .build(),
                "mcp-1");

        assertThat(result.finalResponse()).isEqualTo("take sunglasses");
        assertThat(asked).singleElement().satisfies(r -> {
            assertThat(r.chatMemoryId()).isEqualTo("mcp-1");
            assertThat(r.userMessage().singleText()).contains("go");
        });
        assertThat(LlmAgentTest.toolNames(model.requests().getFirst())).contains("weather", "finish");
        ToolExecutionResultMessage toolResult = model.requests().get(1).messages().stream()
                .filter(ToolExecutionResultMessage.class::isInstance)
                .map(ToolExecutionResultMessage.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(toolResult.text()).isEqualTo("sunny ({\"city\":\"Porto\"}, mcp-1)");
        assertThat(result.executionTrace().getFirst().toolCalls())
                .singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo("weather"));
    }

    @Test
    void toolProvider_toolNamedLikeACoordinationTool_failsTheStepNamingIt() {
        ToolSpecification clash = ToolSpecification.builder().name("finish").build();
        ToolProvider provider = request ->
                ToolProviderResult.builder().add(clash, (call, id) -> "x").build();
        LlmAgent agent = LlmAgent.builder()
                .name("Hub")
                .model(ScriptedChatModel.of(finish("ok")))
                .toolProvider(provider)
                .build();

        assertThatThrownBy(() -> agent.act(Steps.of("Hub").canFinish().request()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tool 'finish'");
    }
}
