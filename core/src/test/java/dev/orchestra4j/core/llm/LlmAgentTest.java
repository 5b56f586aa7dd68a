package dev.orchestra4j.core.llm;

import static dev.orchestra4j.core.llm.ScriptedChatModel.call;
import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.fork;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCalls;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.Invocation;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class LlmAgentTest {

    private static LlmAgent agent(String name, ChatModel model) {
        return LlmAgent.builder()
                .name(name)
                .model(model)
                .systemPrompt("You plan trips.")
                .build();
    }

    @Test
    void act_singleInvocation_handsOff() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(invoke("Researcher", "find flights"));

        AgentResponse response =
                agent("Hub", model).act(Steps.of("Hub").peers("Researcher").request());

        assertThat(response).isEqualTo(AgentResponse.handOff("Researcher", "find flights"));
    }

    @Test
    void act_severalInvocations_forksInOrder() throws Exception {
        ScriptedChatModel model =
                ScriptedChatModel.of(fork(Invocation.of("Writer", "draft"), Invocation.of("Researcher", "facts")));

        AgentResponse response = agent("Hub", model)
                .act(Steps.of("Hub").peers("Researcher", "Writer").request());

        assertThat(response)
                .isEqualTo(
                        AgentResponse.parallel(Invocation.of("Writer", "draft"), Invocation.of("Researcher", "facts")));
    }

    @Test
    void act_finishCall_finishesWithAnswer() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish("Lisbon in May"));

        AgentResponse response =
                agent("Hub", model).act(Steps.of("Hub").canFinish().request());

        assertThat(response).isEqualTo(AgentResponse.finish("Lisbon in May"));
    }

    @Test
    void act_askUserCall_asksUser() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(ScriptedChatModel.askUser("Which month?"));

        AgentResponse response =
                agent("Hub", model).act(Steps.of("Hub").canAskUser().request());

        assertThat(response).isEqualTo(AgentResponse.askUser("Which month?"));
    }

    @Test
    void act_withPeers_invokeAgentEnumListsExactlyThePeers() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(invoke("Writer", "go"));

        agent("Hub", model).act(Steps.of("Hub").peers("Researcher", "Writer").request());

        assertThat(peerEnum(model.requests().getFirst())).containsExactly("Researcher", "Writer");
    }

    @Test
    void act_withoutPeers_offersNoInvokeAgent() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish("done"));

        agent("Hub", model).act(Steps.of("Hub").canFinish().canAskUser().request());

        assertThat(toolNames(model.requests().getFirst())).containsExactly("finish", "ask_user");
    }

    @Test
    void act_withoutEndEdge_offersNoFinish() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(invoke("Writer", "go"));

        agent("Hub", model).act(Steps.of("Hub").peers("Writer").canAskUser().request());

        assertThat(toolNames(model.requests().getFirst())).containsExactly("invoke_agent", "ask_user");
    }

    @Test
    void act_withoutUserEdge_offersNoAskUser() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish("done"));

        agent("Hub", model).act(Steps.of("Hub").peers("Writer").canFinish().request());

        assertThat(toolNames(model.requests().getFirst())).containsExactly("invoke_agent", "finish");
        assertThat(systemText(model.requests().getFirst()))
                .contains("You are the agent \"Hub\"", "You plan trips.", "invoke_agent", "Writer", "finish")
                .doesNotContain("ask_user");
    }

    @Test
    void act_regularToolAndHandOffInOneMessage_runsToolThenHandsOff() throws Exception {
        Calculator calculator = new Calculator();
        ScriptedChatModel model = ScriptedChatModel.of(toolCalls(
                call("invoke_agent", "{\"invocations\":[{\"agent_name\":\"Writer\",\"request\":\"write 5\"}]}"),
                call("add", "{\"a\":2,\"b\":3}")));
        Steps steps = Steps.of("Hub").peers("Writer");
        LlmAgent hub =
                LlmAgent.builder().name("Hub").model(model).tools(calculator).build();

        AgentResponse response = hub.act(steps.request());

        assertThat(response).isEqualTo(AgentResponse.handOff("Writer", "write 5"));
        assertThat(calculator.calls).hasValue(1);
        assertThat(steps.recorder.toolCalls)
                .containsExactly(new Steps.ToolCall("add", "{\"a\":2,\"b\":3}", "5", false));
        assertThat(toolNames(model.requests().getFirst())).containsExactly("invoke_agent", "add");
    }

    @Test
    void act_regularToolOnly_modelSeesResultThenCoordinates() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(toolCall("add", "{\"a\":20,\"b\":22}"), finish("42"));
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .tools(new Calculator())
                .build();

        AgentResponse response = hub.act(Steps.of("Hub").canFinish().request());

        assertThat(response).isEqualTo(AgentResponse.finish("42"));
        ChatMessage last = model.requests().get(1).messages().getLast();
        assertThat(last).isInstanceOfSatisfying(ToolExecutionResultMessage.class, result -> {
            assertThat(result.text()).isEqualTo("42");
            assertThat(result.id()).isEqualTo("call_1");
        });
    }

    @Test
    void act_toolTimesOut_modelGetsErrorNamingTimeoutAndToolIsInterrupted() throws Exception {
        SlowTool slow = new SlowTool();
        ScriptedChatModel model = ScriptedChatModel.of(toolCall("slow", "{}"), finish("gave up"));
        Steps steps = Steps.of("Hub").canFinish().toolTimeout(Duration.ofMillis(50));
        LlmAgent hub = LlmAgent.builder().name("Hub").model(model).tools(slow).build();

        AgentResponse response = hub.act(steps.request());

        assertThat(response).isEqualTo(AgentResponse.finish("gave up"));
        ToolExecutionResultMessage result =
                (ToolExecutionResultMessage) model.requests().get(1).messages().getLast();
        assertThat(result.text()).contains("'slow'", "timed out", "50 ms", "tool timeout");
        assertThat(result.isError()).isTrue();
        assertThat(slow.interrupted.await(5, SECONDS)).isTrue();
        assertThat(steps.recorder.toolCalls)
                .singleElement()
                .extracting(Steps.ToolCall::failed)
                .isEqualTo(true);
    }

    @Test
    void act_toolThrows_modelGetsErrorResult() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(toolCall("lookup", "{\"city\":\"Atlantis\"}"), finish("n/a"));
        ToolSpecification lookup = ToolSpecification.builder()
                .name("lookup")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").build())
                .build();
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .tool(lookup, call -> {
                    throw new IllegalArgumentException("no such city");
                })
                .build();

        hub.act(Steps.of("Hub").canFinish().request());

        ToolExecutionResultMessage result =
                (ToolExecutionResultMessage) model.requests().get(1).messages().getLast();
        assertThat(result.text()).contains("'lookup' failed", "IllegalArgumentException", "no such city");
    }

    @Test
    void act_afterStep_memoryIsWellFormed() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(
                toolCall("add", "{\"a\":1,\"b\":1}"), toolCall("invoke_agent", "not json"), invoke("Writer", "2"));
        Steps steps = Steps.of("Hub").peers("Writer");
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .tools(new Calculator())
                .build();
        AgentResponse response = hub.act(steps.request());

        List<ChatMessage> memory = steps.request().memory();
        assertThat(response).isInstanceOf(AgentResponse.Invoke.class);
        assertThat(memory).first().isInstanceOf(UserMessage.class);
        assertThat(memory).noneMatch(SystemMessage.class::isInstance);
        assertThat(memory.getLast())
                .isInstanceOfSatisfying(ToolExecutionResultMessage.class, receipt -> assertThat(receipt.text())
                        .contains("Handed off to Writer"));
        assertThat(resultIds(memory)).isEqualTo(callIds(memory));
    }

    @Test
    void act_secondStep_sendsOneSystemMessageAndKeepsHistory() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(invoke("Writer", "draft"), finish("final"));
        Steps steps = Steps.of("Hub").peers("Writer").canFinish();
        LlmAgent hub = agent("Hub", model);

        hub.act(steps.request());
        hub.act(steps.input("the draft", "Writer").request());

        List<ChatMessage> second = model.requests().get(1).messages();
        assertThat(second).filteredOn(SystemMessage.class::isInstance).hasSize(1);
        assertThat(second).hasSize(1 + 3 + 1);
        assertThat(((UserMessage) second.getLast()).singleText()).isEqualTo("[from Writer]\nthe draft");
    }

    @Test
    void act_everyModelCall_recordsTokenUsage() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .reply(toolCall("add", "{\"a\":1,\"b\":2}"), finish("3"))
                .tokenUsage(12, 3)
                .build();
        Steps steps = Steps.of("Hub").canFinish();

        LlmAgent.builder()
                .name("Hub")
                .model(model)
                .tools(new Calculator())
                .build()
                .act(steps.request());

        assertThat(steps.recorder.tokens).hasSize(2).allSatisfy(t -> assertThat(t)
                .containsExactly(12, 3));
    }

    @Test
    void act_aggregateInput_rendersOneFromBlockPerSource() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish("merged"));
        List<Arrival> arrivals =
                List.of(new Arrival("Researcher", "b2", "facts"), new Arrival("Writer", "b3", "prose"));

        agent("Hub", model)
                .act(Steps.of("Hub").canFinish().input(arrivals, null).request());

        assertThat(lastUserText(model.requests().getFirst()))
                .isEqualTo("Task:\nPlan a trip\n\n[from Researcher]\nfacts\n\n[from Writer]\nprose");
    }

    @Test
    void act_firstStepFromStart_sendsTheTaskOnce() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish("ok"));

        agent("Hub", model)
                .act(Steps.of("Hub").canFinish().task(Map.of("goal", "trip")).request());

        assertThat(lastUserText(model.requests().getFirst())).isEqualTo("Task:\n{\"goal\":\"trip\"}");
    }

    @Test
    void act_retryAfterFailure_inputNamesThePreviousError() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish("ok"));
        ErrorContext error = new ErrorContext(ErrorCategory.TOOL, "search is down", "Hub", "b1", 1, "Plan a trip");

        agent("Hub", model).act(Steps.of("Hub").canFinish().error(error).request());

        assertThat(lastUserText(model.requests().getFirst()))
                .startsWith("Note: a previous attempt by Hub failed (TOOL): search is down");
    }

    @Test
    void act_outputSchemaClass_parsesAnswerIntoTheClass() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish(Map.of("city", "Lisbon", "days", 4)));
        LlmAgent hub = LlmAgent.builder()
                .name("Hub")
                .model(model)
                .outputSchema(Itinerary.class)
                .build();

        AgentResponse response = hub.act(Steps.of("Hub").canFinish().request());

        assertThat(response).isEqualTo(AgentResponse.finish(new Itinerary("Lisbon", 4)));
        JsonObjectSchema finish = (JsonObjectSchema) model.requests()
                .getFirst()
                .toolSpecifications()
                .getFirst()
                .parameters()
                .properties()
                .get("answer");
        assertThat(finish.properties()).containsOnlyKeys("city", "days");
    }

    @Test
    void act_outputSchemaJson_parsesAnswerIntoAMap() throws Exception {
        ScriptedChatModel model =
                ScriptedChatModel.of(toolCall("finish", "{\"answer\":\"{\\\"city\\\":\\\"Porto\\\"}\"}"));
        JsonObjectSchema schema =
                JsonObjectSchema.builder().addStringProperty("city").build();
        LlmAgent hub =
                LlmAgent.builder().name("Hub").model(model).outputSchema(schema).build();

        AgentResponse response = hub.act(Steps.of("Hub").canFinish().request());

        assertThat(response).isEqualTo(AgentResponse.finish(Map.of("city", "Porto")));
    }

    @Test
    void act_interrupted_throwsInterruptedExceptionWithoutCallingTheModel() {
        ScriptedChatModel model = ScriptedChatModel.of(finish("never"));
        Thread.currentThread().interrupt();

        assertThatThrownBy(() ->
                        agent("Hub", model).act(Steps.of("Hub").canFinish().request()))
                .isInstanceOf(InterruptedException.class)
                .hasMessageContaining("'Hub'");
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void act_interruptedWhileToolRuns_throwsPromptlyAndCancelsTheTool() throws Exception {
        SlowTool slow = new SlowTool();
        ScriptedChatModel model = ScriptedChatModel.of(toolCall("slow", "{}"));
        LlmAgent hub = LlmAgent.builder().name("Hub").model(model).tools(slow).build();
        AgentRequest request = Steps.of("Hub").canFinish().request();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread step = Thread.ofVirtual().start(() -> {
            try {
                hub.act(request);
                outcome.complete(null);
            } catch (Exception e) {
                outcome.complete(e);
            }
        });

        assertThat(slow.started.await(5, SECONDS)).isTrue();
        step.interrupt();

        assertThat(outcome.get(5, SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(slow.interrupted.await(5, SECONDS)).isTrue();
    }

    @Test
    void act_modelThrows_exceptionPropagates() {
        ChatModel failing = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                throw new dev.langchain4j.exception.RateLimitException("slow down");
            }
        };

        assertThatThrownBy(() ->
                        agent("Hub", failing).act(Steps.of("Hub").canFinish().request()))
                .isInstanceOf(dev.langchain4j.exception.RateLimitException.class);
    }

    @Test
    void toBuilder_derivedAgent_keepsSettingsAndChangesOnlyWhatIsSet() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(finish("{\"city\":\"Faro\",\"days\":2}"));
        LlmAgent original = LlmAgent.builder()
                .name("Hub")
                .model(ScriptedChatModel.of())
                .systemPrompt("Be brief.")
                .outputSchema(Itinerary.class)
                .build();

        LlmAgent derived = original.toBuilder().model(model).build();
        AgentResponse response = derived.act(Steps.of("Hub").canFinish().request());

        assertThat(derived.name()).isEqualTo("Hub");
        assertThat(response).isEqualTo(AgentResponse.finish(new Itinerary("Faro", 2)));
        assertThat(systemText(model.requests().getFirst())).contains("Be brief.");
    }

    @Test
    void builder_reservedToolName_isRejected() {
        ToolSpecification finish = ToolSpecification.builder().name("finish").build();

        assertThatThrownBy(() -> LlmAgent.builder().tool(finish, call -> "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'finish' is reserved");
    }

    @Test
    void builder_toolsWithoutNativeToolCalling_isRejected() {
        LlmAgent.Builder builder = LlmAgent.builder()
                .name("Hub")
                .model(ScriptedChatModel.of())
                .tools(new Calculator())
                .nativeTools(false);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'Hub'");
    }

    @Test
    void builder_withoutModel_isRejected() {
        assertThatThrownBy(() -> LlmAgent.builder().name("Hub").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("model is required for agent 'Hub'");
    }

    static List<String> toolNames(ChatRequest request) {
        return request.toolSpecifications().stream()
                .map(ToolSpecification::name)
                .toList();
    }

    static List<String> peerEnum(ChatRequest request) {
        ToolSpecification invoke = request.toolSpecifications().stream()
                .filter(s -> s.name().equals("invoke_agent"))
                .findFirst()
                .orElseThrow();
        JsonArraySchema invocations =
                (JsonArraySchema) invoke.parameters().properties().get("invocations");
        JsonObjectSchema item = (JsonObjectSchema) invocations.items();
        return ((JsonEnumSchema) item.properties().get("agent_name")).enumValues();
    }

    static String systemText(ChatRequest request) {
        return ((SystemMessage) request.messages().getFirst()).text();
    }

    static String lastUserText(ChatRequest request) {
        return request.messages().stream()
                .filter(UserMessage.class::isInstance)
                .map(m -> ((UserMessage) m).singleText())
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    private static Set<String> callIds(List<ChatMessage> memory) {
        Set<String> ids = new HashSet<>();
        memory.stream()
                .filter(AiMessage.class::isInstance)
                .flatMap(m -> ((AiMessage) m).toolExecutionRequests().stream())
                .map(ToolExecutionRequest::id)
                .forEach(ids::add);
        return ids;
    }

    private static Set<String> resultIds(List<ChatMessage> memory) {
        Set<String> ids = new HashSet<>();
        memory.stream()
                .filter(ToolExecutionResultMessage.class::isInstance)
                .map(m -> ((ToolExecutionResultMessage) m).id())
                .forEach(ids::add);
        return ids;
    }

    record Itinerary(String city, int days) {}

    static final class Calculator {
        final AtomicInteger calls = new AtomicInteger();

        @Tool("Adds two integers")
        int add(@P("the first") int a, @P("the second") int b) {
            calls.incrementAndGet();
            return a + b;
        }
    }

    static final class SlowTool {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Tool("Never finishes on its own")
        String slow() throws InterruptedException {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return "unreachable";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }
    }
}
