package dev.orchestra4j.core.llm;

import static dev.orchestra4j.core.llm.LlmAgentTest.lastUserText;
import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.fork;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;
import static dev.orchestra4j.core.llm.ScriptedChatModel.text;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.topology.PatternConfig;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Three LlmAgents in a hub-and-spoke topology, driven by one ScriptedChatModel through the real engine. */
final class LlmAgentEndToEndTest {

    private static final Topology HUB_AND_SPOKE =
            PatternConfig.hubAndSpoke("Hub", List.of("Researcher", "Writer"), false);

    private static OrchestraResult run(ScriptedChatModel model) {
        AgentRegistry agents = AgentRegistry.create();
        for (String name : List.of("Hub", "Researcher", "Writer")) {
            agents.register(name, LlmAgent.builder().name(name).model(model).build());
        }
        return Orchestra.run(
                "Plan a weekend in Lisbon",
                HUB_AND_SPOKE,
                RunOptions.builder().agents(agents).build());
    }

    @Test
    void run_hubHandsOffToEachSpokeInTurn_finishesWithTheHubsAnswer() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent(
                        "Hub",
                        invoke("Researcher", "Find three sights"),
                        invoke("Writer", "Write a plan around: tram 28, Belem, Alfama"),
                        finish("Day 1: tram 28 and Alfama. Day 2: Belem."))
                .agent("Researcher", invoke("Hub", "tram 28, Belem, Alfama"))
                .agent("Writer", invoke("Hub", "Day 1: tram 28 and Alfama. Day 2: Belem."))
                .build();

        OrchestraResult result = run(model);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("Day 1: tram 28 and Alfama. Day 2: Belem.");
        assertThat(result.agentInvocationCount("Hub")).isEqualTo(3);
        assertThat(lastUserText(model.requests("Hub").get(1))).isEqualTo("[from Researcher]\ntram 28, Belem, Alfama");
        assertThat(LlmAgentTest.peerEnum(model.requests("Researcher").getFirst()))
                .containsExactly("Hub");
        assertThat(LlmAgentTest.toolNames(model.requests("Researcher").getFirst()))
                .containsExactly("invoke_agent");
    }

    @Test
    void run_hubForksToBothSpokes_resumesWithOneFromBlockPerSpoke() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent(
                        "Hub",
                        fork(Invocation.of("Researcher", "sights"), Invocation.of("Writer", "tone")),
                        finish("merged"))
                .agent("Researcher", invoke("Hub", "Belem"))
                .agent("Writer", invoke("Hub", "cheerful"))
                .build();

        OrchestraResult result = run(model);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("merged");
        assertThat(lastUserText(model.requests("Hub").get(1)))
                .isEqualTo("[from Researcher]\nBelem\n\n[from Writer]\ncheerful");
    }

    @Test
    void run_spokeNamesAnInvalidPeer_isSteeredAndTheRunSucceeds() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent("Hub", invoke("Researcher", "Find sights"), finish("Belem"))
                .agent("Researcher", invoke("Writer", "skip the hub"), text("Thinking."), invoke("Hub", "Belem"))
                .build();

        OrchestraResult result = run(model);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("Belem");
        assertThat(model.requests("Researcher")).hasSize(3);
        assertThat(model.requests("Researcher").get(1).messages().getLast())
                .isInstanceOfSatisfying(ToolExecutionResultMessage.class, correction -> assertThat(correction.text())
                        .contains("unknown agent 'Writer'", "you may invoke: Hub"));
        assertThat(result.wasAgentInvoked("Writer")).isFalse();
    }

    @Test
    void run_spokeNeverCoordinates_failsTheRunWithADiagnostic() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent("Hub", invoke("Researcher", "Find sights"))
                .agent("Researcher", request -> text("I like Lisbon."))
                .otherwise(request -> text("I like Lisbon."))
                .build();

        OrchestraResult result = run(model);

        assertThat(result.success()).isFalse();
        assertThat(result.error()).hasValueSatisfying(error -> assertThat(error)
                .contains("Agent 'Researcher'", "plain text", "invoke_agent (agents: Hub)", "I like Lisbon."));
    }

    @Test
    void run_spokeUsesARegularTool_traceAndMetricsShowToolCallAndTokens() {
        ScriptedChatModel model = ScriptedChatModel.builder()
                .agent("Hub", invoke("Researcher", "How many days?"), finish("5 days"))
                .agent("Researcher", toolCall("add", "{\"a\":2,\"b\":3}"), invoke("Hub", "5"))
                .tokenUsage(10, 2)
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register("Hub", LlmAgent.builder().name("Hub").model(model).build())
                .register(
                        "Writer", LlmAgent.builder().name("Writer").model(model).build())
                .register(
                        "Researcher",
                        LlmAgent.builder()
                                .name("Researcher")
                                .model(model)
                                .tools(new LlmAgentTest.Calculator())
                                .build());

        OrchestraResult result = Orchestra.run(
                "Plan a weekend in Lisbon",
                HUB_AND_SPOKE,
                RunOptions.builder().agents(agents).build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.metrics().inputTokens()).isEqualTo(40);
        assertThat(result.metrics().outputTokens()).isEqualTo(8);
        TraceStep research = result.executionTrace().stream()
                .filter(step -> step.agent().equals("Researcher"))
                .findFirst()
                .orElseThrow();
        assertThat(research.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("add");
            assertThat(call.result()).isEqualTo("5");
        });
        assertThat(research.inputTokens()).isEqualTo(20);
    }
}
