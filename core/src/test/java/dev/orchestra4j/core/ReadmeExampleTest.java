package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the README's 30-second example true: the same code, run. */
final class ReadmeExampleTest {

    @Test
    void readmeExample_runsAndPrintsBothAnswersInInvocationOrder() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Topology topology = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Researcher")
                .edge("Hub <-> Critic")
                .edge("Hub -> End")
                .build();

        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "Hub",
                        r -> r.received() instanceof Input.Task // the first visit, not the join
                                ? AgentResponse.parallel(
                                        Invocation.of("Researcher", r.input()), Invocation.of("Critic", r.input()))
                                : AgentResponse.finish(r.inputText()))
                .register("Researcher", r -> AgentResponse.finish("facts about " + r.input()))
                .register("Critic", r -> AgentResponse.finish("doubts about " + r.input()));

        OrchestraResult result = Orchestra.run(
                "graphene",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(ExecutionConfig.builder()
                                .status(StatusConfig.fromVerbosity(Verbosity.NORMAL)
                                        .withOut(new PrintStream(console, true, StandardCharsets.UTF_8)))
                                .build())
                        .build());

        assertThat(result.finalResponseAsText())
                .isEqualTo("[from Researcher]\nfacts about graphene\n\n[from Critic]\ndoubts about graphene");
        assertThat(result.toMermaid()).startsWith("sequenceDiagram").contains("Start->>Hub: start b1");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("[b1 Hub]")
                .contains("COMPLETED");
    }

    record Order(String item, int quantity) {}

    record Receipt(String approval) {}

    @Test
    void readmeTypedInputExample_walksEveryKindTheSwitchNames() {
        Agent buyer = r -> switch (r.received()) {
            case Input.Task task ->
                AgentResponse.call("Supplier", r.context("order", Order.class).orElseThrow());
            case Input.Joined joined ->
                AgentResponse.askUser("Accept " + joined.arrivals().getFirst().value() + "?");
            case Input.Answer answer -> AgentResponse.finish(new Receipt(answer.text()));
            case Input.Message message -> AgentResponse.fail("unexpected message from " + message.from());
            case Input.ErrorRoute route ->
                AgentResponse.finish("recovered from " + route.error().failedAgent());
        };
        java.util.List<String> questions = new java.util.concurrent.CopyOnWriteArrayList<>();
        Topology topology = Topology.builder()
                .edge("Start -> Buyer")
                .edge("Buyer <-> Supplier")
                .edge("Buyer -> User")
                .edge("Buyer -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register("Buyer", buyer)
                .register(
                        "Supplier",
                        r -> AgentResponse.finish(r.input(Order.class).quantity() + " for 5 EUR"));

        OrchestraResult result = Orchestra.run(
                "buy",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .context(java.util.Map.of("order", new Order("pen", 2)))
                        .communicationConfig(CommunicationConfig.of(q -> {
                            questions.add(q.question());
                            return java.util.concurrent.CompletableFuture.completedFuture("yes");
                        }))
                        .build());

        assertThat(questions).containsExactly("Accept 2 for 5 EUR?");
        assertThat(result.finalResponse(Receipt.class)).isEqualTo(new Receipt("yes"));
    }

    @Test
    void readmeSecretExample_agentsReadTheSecretFromTheContext() {
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "A",
                        r -> AgentResponse.finish("key ends with " + r.context().get("openai_key")));
        Topology topology =
                Topology.builder().edge("Start -> A").edge("A -> End").build();

        RunOptions options = RunOptions.builder()
                .agents(agents)
                .secret("openai_key", "sk-test-1234")
                .stateManager(new dev.orchestra4j.state.StateManager(dev.orchestra4j.state.StorageBackends.inMemory()))
                .build();

        assertThat(Orchestra.run("x", topology, options).finalResponse()).isEqualTo("key ends with sk-test-1234");
        assertThat(options.secrets()).containsOnlyKeys("openai_key");
    }
}
