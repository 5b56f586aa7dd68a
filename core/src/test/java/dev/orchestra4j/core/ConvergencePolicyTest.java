package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link ConvergencePolicy.OnInsufficient#ASK_USER}: the user decides whether partial results are enough. */
final class ConvergencePolicyTest {

    private static final ConvergencePolicy ASK =
            new ConvergencePolicy(1.0, ConvergencePolicy.OnInsufficient.ASK_USER, true);
    private static final Topology FORK = Topology.builder()
            .edge("Start -> Hub")
            .edge("Hub <-> Good")
            .edge("Hub <-> Bad")
            .edge("Hub -> End")
            .build();

    private final List<String> questions = new CopyOnWriteArrayList<>();

    private static AgentRegistry agents() {
        return AgentRegistry.create()
                .register(
                        "Hub",
                        r -> r.received() instanceof Input.Joined joined
                                ? AgentResponse.finish(joined.arrivals().stream()
                                        .map(Arrival::value)
                                        .toList())
                                : AgentResponse.parallel(Invocation.of("Good", "g"), Invocation.of("Bad", "b")))
                .register("Good", r -> AgentResponse.finish("good"))
                .register("Bad", r -> AgentResponse.fail("broken", ErrorCategory.VALIDATION));
    }

    private OrchestraResult run(String answer) {
        return Orchestra.run(
                "go",
                FORK,
                RunOptions.builder()
                        .agents(agents())
                        .executionConfig(
                                ExecutionConfig.builder().convergencePolicy(ASK).build())
                        .communicationConfig(CommunicationConfig.of(q -> {
                            questions.add(q.question());
                            return CompletableFuture.completedFuture(answer);
                        }))
                        .build());
    }

    @Test
    void askUser_userProceeds_resolverGetsThePartialResults() {
        OrchestraResult result = run("proceed");

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("good"));
        assertThat(questions)
                .singleElement()
                .asString()
                .startsWith("fork 'f2' of 'Hub': 1 of 2 sources arrived")
                .contains("(attempt 1, VALIDATION): broken", "Proceed with the partial results?");
    }

    @Test
    void askUser_userFails_runFailsNamingTheChoice() {
        OrchestraResult result = run("fail");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("the user chose to fail"));
    }

    @Test
    void askUser_withoutChannel_waitsForUserAndRespondProceeds() {
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(FORK)
                .agents(agents())
                .executionConfig(
                        ExecutionConfig.builder().convergencePolicy(ASK).build())
                .stateManager(new StateManager(StorageBackends.inMemory()))
                .build();

        OrchestraResult waiting = instance.execute("go", Map.of("session_id", "ask-1"), 20);
        OrchestraResult done = instance.respond("ask-1", "proceed");

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(waiting.pendingQuestions()).singleElement().satisfies(q -> {
            assertThat(q.agent()).isEqualTo("Hub");
            assertThat(q.options()).containsExactly("proceed", "fail");
        });
        assertThat(done.success()).as(done.error().orElse("")).isTrue();
        assertThat(done.finalResponse()).isEqualTo(List.of("good"));
    }
}
