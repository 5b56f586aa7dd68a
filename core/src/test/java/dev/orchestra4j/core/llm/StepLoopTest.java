package dev.orchestra4j.core.llm;

import static dev.orchestra4j.core.llm.LlmAgentTest.lastUserText;
import static dev.orchestra4j.core.llm.LlmAgentTest.systemText;
import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;
import static dev.orchestra4j.core.llm.ScriptedChatModel.text;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ExecutionConfig;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop inside one step: steering on invalid calls, content-only escalation, the JSON fallback. */
final class StepLoopTest {

    private static AgentResponse act(ScriptedChatModel model, Steps steps) throws Exception {
        return LlmAgent.builder().name("Hub").model(model).build().act(steps.request());
    }

    private static Steps hub() {
        return Steps.of("Hub").peers("Researcher", "Writer").canFinish();
    }

    private static String lastToolResult(ChatRequest request) {
        return ((ToolExecutionResultMessage) request.messages().getLast()).text();
    }

    @Test
    void act_unknownPeer_isCorrectedThenSucceeds() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(invoke("Bob", "hi"), invoke("Researcher", "hi"));

        AgentResponse response = act(model, hub());

        assertThat(response).isEqualTo(AgentResponse.handOff("Researcher", "hi"));
        assertThat(lastToolResult(model.requests().get(1)))
                .contains("unknown agent 'Bob'", "you may invoke: Researcher, Writer", "finish");
    }

    @Test
    void act_finishWithoutEndEdge_isCorrectedThenSucceeds() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish("done"), invoke("Writer", "polish"));

        AgentResponse response = act(model, Steps.of("Hub").peers("Writer"));

        assertThat(response).isEqualTo(AgentResponse.handOff("Writer", "polish"));
        assertThat(lastToolResult(model.requests().get(1)))
                .contains("'finish' is not permitted", "no edge to End", "invoke_agent (agents: Writer)");
    }

    @Test
    void act_malformedArguments_isCorrectedThenSucceeds() throws Exception {
        ScriptedChatModel model =
                ScriptedChatModel.of(toolCall("invoke_agent", "{\"invocations\": [oops"), finish("ok"));

        AgentResponse response = act(model, hub());

        assertThat(response).isEqualTo(AgentResponse.finish("ok"));
        assertThat(lastToolResult(model.requests().get(1)))
                .contains("arguments of 'invoke_agent' are not a JSON object", "[oops");
    }

    @Test
    void act_emptyInvocations_isCorrected() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(toolCall("invoke_agent", "{\"invocations\": []}"), finish("ok"));

        act(model, hub());

        assertThat(lastToolResult(model.requests().get(1))).contains("non-empty 'invocations'");
    }

    @Test
    void act_answerNotMatchingSchema_isCorrectedThenParsed() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(
                toolCall("finish", "{\"answer\": {\"city\": \"Faro\", \"days\": \"many\"}}"),
                toolCall("finish", "{\"answer\": {\"city\": \"Faro\", \"days\": 3}}"));
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .outputSchema(LlmAgentTest.Itinerary.class)
                .build();

        AgentResponse response = hub.act(hub().request());

        assertThat(response).isEqualTo(AgentResponse.finish(new LlmAgentTest.Itinerary("Faro", 3)));
        assertThat(lastToolResult(model.requests().get(1))).contains("does not match the schema of Itinerary");
    }

    @Test
    void act_steeringExhausted_failsWithValidationNamingAgentAndProblem() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(invoke("Bob", "1"), invoke("Bob", "2"), invoke("Bob", "3"));
        Steps steps = hub().config(ExecutionConfig.builder().steeringRetries(2).build());

        AgentResponse response = act(model, steps);

        assertThat(model.requests()).hasSize(3);
        assertThat(response).isInstanceOfSatisfying(AgentResponse.Fail.class, fail -> {
            assertThat(fail.category()).isEqualTo(ErrorCategory.VALIDATION);
            assertThat(fail.reason())
                    .contains("Agent 'Hub'", "after 2 steering retries", "unknown agent 'Bob'", "Researcher, Writer");
        });
    }

    @Test
    void act_unknownRegularTool_isCorrectedAndCounts() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(toolCall("search", "{}"), toolCall("search", "{}"));
        Steps steps = hub().config(ExecutionConfig.builder().steeringRetries(1).build());

        AgentResponse response = act(model, steps);

        assertThat(lastToolResult(model.requests().get(1))).contains("unknown tool 'search'");
        assertThat(response).isInstanceOfSatisfying(AgentResponse.Fail.class, fail -> assertThat(fail.reason())
                .contains("unknown tool 'search'"));
    }

    @Test
    void act_contentOnlyBelowThreshold_repromptsWithoutSteering() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(text("Let me think."), finish("done"));

        AgentResponse response = act(model, hub());

        assertThat(response).isEqualTo(AgentResponse.finish("done"));
        assertThat(lastUserText(model.requests().get(1))).isEqualTo("Continue.");
    }

    @Test
    void act_contentOnlyAtThreshold_steeringNamesTheTools() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(text("Hmm."), text("Still thinking."), finish("done"));

        AgentResponse response = act(model, hub());

        assertThat(response).isEqualTo(AgentResponse.finish("done"));
        assertThat(lastUserText(model.requests().get(2)))
                .contains("called no tool", "invoke_agent (agents: Researcher, Writer), finish");
    }

    @Test
    void act_contentOnlyBeyondThreshold_steeringEscalatesToTheExactCall() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .reply(Collections.nCopies(5, text("Prose.")).toArray(AiMessage[]::new))
                .reply(finish("done"))
                .build();

        act(model, hub());

        List<ChatRequest> requests = model.requests();
        assertThat(lastUserText(requests.get(3))).contains("called no tool");
        assertThat(lastUserText(requests.get(4))).contains("You MUST call a tool now", "finish");
        assertThat(lastUserText(requests.get(5)))
                .contains("invoke_agent({\"invocations\": [{\"agent_name\": \"Researcher\"", "finish({\"answer\"");
    }

    @Test
    void act_contentOnlyAtHardLimit_failsWithDiagnostic() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(text("one"), text("two"), text("I would rather chat."));
        Steps steps = hub().config(ExecutionConfig.builder()
                .contentOnlySteeringThreshold(1)
                .contentOnlyHardLimit(3)
                .build());
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .tools(new LlmAgentTest.Calculator())
                .build();

        AgentResponse response = hub.act(steps.request());

        assertThat(model.requests()).hasSize(3);
        assertThat(response).isInstanceOfSatisfying(AgentResponse.Fail.class, fail -> {
            assertThat(fail.category()).isEqualTo(ErrorCategory.VALIDATION);
            assertThat(fail.reason())
                    .contains(
                            "Agent 'Hub'",
                            "3 times in a row",
                            "invoke_agent (agents: Researcher, Writer), finish",
                            "regular tools: add",
                            "\"I would rather chat.\"");
        });
    }

    @Test
    void act_regularToolCall_resetsContentOnlyCount() throws Exception {
        ScriptedChatModel model =
                ScriptedChatModel.of(text("a"), toolCall("add", "{\"a\":1,\"b\":1}"), text("b"), finish("2"));
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .tools(new LlmAgentTest.Calculator())
                .build();

        hub.act(hub().request());

        assertThat(lastUserText(model.requests().get(3))).isEqualTo("Continue.");
    }

    @Test
    void act_oneToolRoundMoreThanAllowed_failsWithValidation() throws Exception {
        AiMessage add = toolCall("add", "{\"a\":1,\"b\":1}");
        ScriptedChatModel model = ScriptedChatModel.of(add, add, add);
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .tools(new LlmAgentTest.Calculator())
                .maxToolRounds(2)
                .build();

        AgentResponse response = hub.act(hub().request());

        assertThat(model.requests()).hasSize(3);
        assertThat(response).isInstanceOfSatisfying(AgentResponse.Fail.class, fail -> assertThat(fail.reason())
                .contains("'Hub'", "3 times", "maxToolRounds"));
    }

    @Test
    void act_noCoordinationOffered_repliesWithTheContent() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(text("a summary"));

        AgentResponse response = act(model, Steps.of("Hub"));

        assertThat(response).isEqualTo(AgentResponse.reply("a summary"));
    }

    @Test
    void act_fallbackFencedJson_handsOff() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(
                text(
                        "Sure.\n```json\n{\"next_action\": \"invoke_agent\","
                                + " \"action_input\": {\"invocations\": [{\"agent_name\": \"Writer\", \"request\": \"draft\"}]}}\n```"));
        LlmAgent hub =
                LlmAgent.builder().name("Hub").model(model).nativeTools(false).build();

        AgentResponse response = hub.act(hub().request());

        assertThat(response).isEqualTo(AgentResponse.handOff("Writer", "draft"));
        assertThat(model.requests().getFirst().toolSpecifications()).isEmpty();
        assertThat(systemText(model.requests().getFirst()))
                .contains("reply with only a JSON object", "\"next_action\": \"invoke_agent\"");
    }

    @Test
    void act_fallbackBareJson_finishes() throws Exception {
        ScriptedChatModel model =
                ScriptedChatModel.of(text("{\"next_action\": \"finish\", \"action_input\": {\"answer\": 7}}"));
        LlmAgent hub =
                LlmAgent.builder().name("Hub").model(model).nativeTools(false).build();

        assertThat(hub.act(hub().request())).isEqualTo(AgentResponse.finish(7));
    }

    @Test
    void act_jsonContentFromToolCapableModel_isUnderstood() throws Exception {
        ScriptedChatModel model =
                ScriptedChatModel.of(text("{\"next_action\": \"ask_user\", \"action_input\": \"Which month?\"}"));

        AgentResponse response = act(model, Steps.of("Hub").canAskUser());

        assertThat(response).isEqualTo(AgentResponse.askUser("Which month?"));
    }

    @Test
    void act_fallbackInvalidTarget_isCorrectedWithAMessage() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(
                text(
                        "{\"next_action\": \"invoke_agent\", \"action_input\": {\"agent_name\": \"End\", \"request\": \"x\"}}"),
                text("{\"next_action\": \"finish\", \"action_input\": {\"answer\": \"x\"}}"));
        LlmAgent hub =
                LlmAgent.builder().name("Hub").model(model).nativeTools(false).build();

        AgentResponse response = hub.act(hub().request());

        assertThat(response).isEqualTo(AgentResponse.finish("x"));
        assertThat(lastUserText(model.requests().get(1))).contains("unknown agent 'End'", "Researcher, Writer");
    }

    @Test
    void act_contentOnlyInFallbackMode_steeringShowsTheJsonFormat() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .reply(Collections.nCopies(5, text("Prose.")).toArray(AiMessage[]::new))
                .reply(text("{\"next_action\": \"finish\", \"action_input\": \"ok\"}"))
                .build();
        LlmAgent hub =
                LlmAgent.builder().name("Hub").model(model).nativeTools(false).build();

        AgentResponse response = hub.act(hub().request());

        assertThat(response).isEqualTo(AgentResponse.finish("ok"));
        assertThat(lastUserText(model.requests().get(5))).contains("```json", "\"next_action\"");
    }
}
