package dev.orchestra4j.core.llm;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;
import static dev.orchestra4j.core.llm.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.orchestra4j.core.AgentResponse;
import org.junit.jupiter.api.Test;

final class ScriptedChatModelTest {

    private static ChatRequest from(String agent) {
        return ChatRequest.builder()
                .messages(
                        SystemMessage.from("You are the agent \"" + agent + "\" in a multi-agent workflow."),
                        UserMessage.from("go"))
                .build();
    }

    @Test
    void chat_scriptsKeyedByAgent_serveEachAgentInOrder() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent("Hub", text("hub 1"), text("hub 2"))
                .agent("Writer", text("writer 1"))
                .build();

        assertThat(model.chat(from("Hub")).aiMessage().text()).isEqualTo("hub 1");
        assertThat(model.chat(from("Writer")).aiMessage().text()).isEqualTo("writer 1");
        assertThat(model.chat(from("Hub")).aiMessage().text()).isEqualTo("hub 2");
        assertThat(model.requests("Hub")).hasSize(2);
        assertThat(model.requests()).hasSize(3);
    }

    @Test
    void chat_unkeyedTurns_serveAgentsWithoutAScript() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent("Hub", text("hub"))
                .reply("anyone")
                .build();

        assertThat(model.chat(from("Writer")).aiMessage().text()).isEqualTo("anyone");
        assertThat(model.chat(from("Hub")).aiMessage().text()).isEqualTo("hub");
    }

    @Test
    void chat_computedTurn_seesTheRequest() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .reply(request -> AiMessage.from(
                        "echo: " + ((UserMessage) request.messages().getLast()).singleText()))
                .build();

        assertThat(model.chat(UserMessage.from("hello")).aiMessage().text()).isEqualTo("echo: hello");
    }

    @Test
    void chat_toolCallsWithoutIds_getSequentialIds() {
        ScriptedChatModel model = ScriptedChatModel.of(invoke("A", "x"), finish("y"));

        String first = model.chat(from("Hub"))
                .aiMessage()
                .toolExecutionRequests()
                .getFirst()
                .id();
        String second = model.chat(from("Hub"))
                .aiMessage()
                .toolExecutionRequests()
                .getFirst()
                .id();

        assertThat(first).isEqualTo("call_1");
        assertThat(second).isEqualTo("call_2");
    }

    @Test
    void chat_everyResponse_reportsTheFixedTokenUsage() {
        ScriptedChatModel model =
                ScriptedChatModel.builder().reply("a").tokenUsage(7, 2).build();

        ChatResponse response = model.chat(from("Hub"));

        assertThat(response.tokenUsage()).isEqualTo(new TokenUsage(7, 2));
    }

    @Test
    void chat_scriptExhausted_failsNamingTheAgent() {
        ScriptedChatModel model =
                ScriptedChatModel.builder().agent("Hub", text("only")).build();
        model.chat(from("Hub"));

        assertThatThrownBy(() -> model.chat(from("Hub")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ScriptedChatModel has no more turns for agent 'Hub'");
    }

    @Test
    void chat_scriptExhaustedWithOtherwise_answersWithIt() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .otherwise(request -> finish("fallback"))
                .build();

        assertThat(model.chat(from("Hub"))
                        .aiMessage()
                        .toolExecutionRequests()
                        .getFirst()
                        .arguments())
                .isEqualTo("{\"answer\":\"fallback\"}");
    }

    @Test
    void builder_negativeTokens_isRejected() {
        assertThatThrownBy(() -> ScriptedChatModel.builder().tokenUsage(-1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void scriptedAgents_sharingOneModel_eachGetTheirOwnTurns() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent("Hub", invoke("Writer", "draft it"))
                .agent("Writer", finish("the draft"))
                .build();
        LlmAgent hub = LlmAgent.builder().name("Hub").model(model).build();
        LlmAgent writer = LlmAgent.builder().name("Writer").model(model).build();

        AgentResponse first = hub.act(Steps.of("Hub").peers("Writer").request());
        AgentResponse second = writer.act(
                Steps.of("Writer").canFinish().input("draft it", "Hub").request());

        assertThat(first).isEqualTo(AgentResponse.handOff("Writer", "draft it"));
        assertThat(second).isEqualTo(AgentResponse.finish("the draft"));
    }

    @Test
    void javadocExample_runsAsDocumented() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent("Hub", invoke("Researcher", "Find the boiling point of water"), finish("100 °C at sea level"))
                .agent("Researcher", text("Let me think."), invoke("Hub", "100 °C at 1 atm"))
                .tokenUsage(120, 30)
                .build();
        LlmAgent hub = LlmAgent.builder().name("Hub").model(model).build();
        LlmAgent researcher = LlmAgent.builder().name("Researcher").model(model).build();
        Steps hubSteps = Steps.of("Hub").peers("Researcher").canFinish();

        AgentResponse handOff = hub.act(hubSteps.request());
        AgentResponse back = researcher.act(Steps.of("Researcher")
                .peers("Hub")
                .input("Find the boiling point of water", "Hub")
                .request());
        AgentResponse answer =
                hub.act(hubSteps.input("100 °C at 1 atm", "Researcher").request());

        assertThat(handOff).isEqualTo(AgentResponse.handOff("Researcher", "Find the boiling point of water"));
        assertThat(back).isEqualTo(AgentResponse.handOff("Hub", "100 °C at 1 atm"));
        assertThat(answer).isEqualTo(AgentResponse.finish("100 °C at sea level"));
        assertThat(model.requests("Researcher")).hasSize(2);
        assertThat(hubSteps.recorder.tokens).hasSize(2).allSatisfy(t -> assertThat(t)
                .containsExactly(120, 30));
    }
}
