package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

final class AgentRequestTest {

    record Order(String item, int quantity) {}

    private final AgentRegistry agents = AgentRegistry.create();

    /** Names the kind an agent received, with an exhaustive switch (no instanceof on the raw value). */
    private static String kind(AgentRequest r) {
        return switch (r.received()) {
            case Input.Task task -> "task " + task.value();
            case Input.Message message -> "message from " + message.from() + ": " + message.value();
            case Input.Joined joined ->
                "joined " + joined.arrivals().stream().map(Arrival::agent).toList();
            case Input.Answer answer -> "answer " + answer.text();
            case Input.ErrorRoute route -> "error of " + route.error().failedAgent() + " on " + route.value();
        };
    }

    @Test
    void received_overOneRun_tellsTaskForkArrivalsMessageAnswerAndErrorRouteApart() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A <-> W1")
                .edge("A <-> W2")
                .edge("A -> B")
                .edge("B -> User")
                .edge("B -> H [on error]")
                .edge("H -> End")
                .build();
        List<String> seen = new CopyOnWriteArrayList<>();
        agents.register("A", r -> {
                    seen.add("A: " + kind(r));
                    return r.received() instanceof Input.Task
                            ? AgentResponse.parallel(Invocation.of("W1", "x"), Invocation.of("W2", "y"))
                            : AgentResponse.handOff("B", "draft");
                })
                .register("W1", r -> AgentResponse.finish("w1"))
                .register("W2", r -> AgentResponse.finish("w2"))
                .register("B", r -> {
                    seen.add("B: " + kind(r));
                    return r.received() instanceof Input.Answer
                            ? AgentResponse.fail("cannot use " + r.input(), ErrorCategory.VALIDATION)
                            : AgentResponse.askUser("colour?");
                })
                .register("H", r -> {
                    seen.add("H: " + kind(r));
                    return AgentResponse.finish("recovered");
                });

        OrchestraResult result = Orchestra.run(
                "go",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .communicationConfig(CommunicationConfig.of(q -> CompletableFuture.completedFuture("blue")))
                        .build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(seen)
                .containsExactly(
                        "A: task go",
                        "A: joined [W1, W2]",
                        "B: message from A: draft",
                        "B: answer blue",
                        "H: error of B on blue");
    }

    @Test
    void received_emptyJoinUnderAnyPolicy_isJoinedWithNoArrivals() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A <-> W")
                .edge("A -> End")
                .build();
        List<String> seen = new CopyOnWriteArrayList<>();
        agents.register("A", r -> {
                    seen.add(kind(r));
                    return r.received() instanceof Input.Joined
                            ? AgentResponse.finish("done")
                            : AgentResponse.parallel(Invocation.of("W", "x"));
                })
                .register("W", r -> AgentResponse.fail("no", ErrorCategory.VALIDATION));

        OrchestraResult result = Orchestra.run(
                "go",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(ExecutionConfig.builder()
                                .convergencePolicy(ConvergencePolicy.ANY)
                                .build())
                        .build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(seen).containsExactly("task go", "joined []");
    }

    @Test
    void call_runsTheCalleeAndReturnsItsAnswerToTheCaller() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A <-> Calc")
                .edge("A -> End")
                .build();
        agents.register(
                        "A",
                        r -> r.received() instanceof Input.Joined joined
                                ? AgentResponse.finish(
                                        "sum is " + joined.arrivals().getFirst().value())
                                : AgentResponse.call("Calc", "2+3"))
                .register("Calc", r -> AgentResponse.finish(5));

        OrchestraResult result =
                Orchestra.run("go", t, RunOptions.builder().agents(agents).build());

        assertThat(result.finalResponse()).isEqualTo("sum is 5");
    }

    @Test
    void input_ofClass_convertsAMapToARecord() {
        AgentRequest request = AgentRequest.of("A", Map.of("item", "pen", "quantity", 3));

        assertThat(request.input(Order.class)).isEqualTo(new Order("pen", 3));
        assertThat(request.received()).isInstanceOf(Input.Task.class);
    }

    @Test
    void input_ofClass_unconvertible_failsNamingTheInputAndAgent() {
        AgentRequest request = AgentRequest.of("Shop", "not an order");

        assertThatThrownBy(() -> request.input(Order.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input of agent 'Shop'")
                .hasMessageContaining(Order.class.getName());
    }

    @Test
    void context_ofClass_convertsAndNamesTheKeyOnFailure() {
        AgentRequest request = AgentRequest.builder()
                .agent("A")
                .input("x")
                .context(Map.of("order", Map.of("item", "ink", "quantity", 1), "limit", "many"))
                .build();

        assertThat(request.context("order", Order.class)).contains(new Order("ink", 1));
        assertThat(request.context("missing", Order.class)).isEmpty();
        assertThatThrownBy(() -> request.context("limit", Integer.class)).hasMessageContaining("context 'limit'");
    }

    @Test
    void builder_withoutInput_failsNamingIt() {
        assertThatThrownBy(() -> AgentRequest.builder().agent("A").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("input");
    }

    @Test
    void toBuilder_keepsEverythingButWhatIsChanged() {
        AgentRequest request = AgentRequest.builder()
                .agent("A")
                .input("x")
                .from("B")
                .step(4)
                .config(ExecutionConfig.builder()
                        .stepTimeout(Duration.ofSeconds(3))
                        .build())
                .build();

        AgentRequest copy = request.toBuilder().attempt(2).build();

        assertThat(copy.received()).isEqualTo(new Input.Message("B", "x"));
        assertThat(copy.step()).isEqualTo(4);
        assertThat(copy.attempt()).isEqualTo(2);
        assertThat(copy.config().stepTimeout()).isEqualTo(Duration.ofSeconds(3));
    }
}
