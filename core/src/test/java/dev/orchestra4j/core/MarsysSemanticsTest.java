package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine semantics that MARSYS users rely on: replies next to an edge to User, text shown to the user as written,
 * result metadata set by agents, runs sharing a stored session id, and the error-routing switch.
 */
final class MarsysSemanticsTest {

    private final AgentRegistry agents = AgentRegistry.create();

    private RunOptions.Builder options() {
        return RunOptions.builder()
                .agents(agents)
                .communicationConfig(CommunicationConfig.durable())
                .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build());
    }

    @Test
    void reply_unconditionalEdgeToUserPlusAgentEdge_handsOffToTheAgent() {
        Topology t = Topology.builder()
                .edges("Start -> Main", "Main -> User", "Main -> Helper", "Helper -> End")
                .build();
        agents.register("Main", r -> AgentResponse.reply("work"))
                .register("Helper", r -> AgentResponse.finish("helped with " + r.input()));

        OrchestraResult result = Orchestra.run("task", t, options().build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("helped with work");
    }

    @Test
    void reply_edgesToEndAndAnAgent_continuesWithTheAgent() {
        Topology t = Topology.builder()
                .edges("Start -> Main", "Main -> End", "Main -> Helper", "Helper -> End")
                .build();
        agents.register("Main", r -> AgentResponse.reply("work"))
                .register("Helper", r -> AgentResponse.finish("helped"));

        OrchestraResult result = Orchestra.run("task", t, options().build());

        assertThat(result.finalResponses()).containsExactly("helped");
    }

    @Test
    void reply_onlyUserAndEndHold_finishes() {
        Topology t = Topology.builder()
                .edges("Start -> Main", "Main -> User", "Main -> End")
                .build();
        agents.register("Main", r -> AgentResponse.reply("answer"));

        OrchestraResult result = Orchestra.run("task", t, options().build());

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("answer");
    }

    @Test
    void invokeUser_textIsShownAsWrittenWithoutJsonQuotes() {
        Topology t = Topology.builder()
                .edges("Start -> Main", "Main -> User", "Main -> End")
                .build();
        agents.register("Main", r -> AgentResponse.handOff("User", "Which colour?\nRed or blue?"));

        OrchestraResult result = Orchestra.run("task", t, options().build());

        assertThat(result.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(result.pendingQuestions()).singleElement().satisfies(q -> assertThat(q.question())
                .isEqualTo("Which colour?\nRed or blue?"));
    }

    @Test
    void finishWithMetadata_landsInResultMetadataAndSurvivesARestartFromStorage(@TempDir Path dir) {
        Topology t = Topology.builder()
                .edges("Start -> Draft", "Draft -> User", "Draft -> Review", "Review -> End")
                .build();
        agents.register("Review", r -> AgentResponse.finish("reviewed")
                .withMetadata("needs_review", true)
                .withMetadata("score", 7));
        agents.register(
                "Draft",
                r -> r.inputText().equals("yes")
                        ? AgentResponse.handOff("Review", "draft")
                        : AgentResponse.askUser("ok?"));
        Map<String, Object> context = Map.of("session_id", "meta-1");
        OrchestraResult waiting = Orchestra.run(
                "task",
                t,
                options()
                        .stateManager(new StateManager(new FileStorageBackend(dir)))
                        .context(context)
                        .build());
        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);

        try (OrchestraInstance fresh = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .stateManager(new StateManager(new FileStorageBackend(dir)))
                .build()) {
            OrchestraResult result = fresh.respond("meta-1", "yes");

            assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
            assertThat(result.metadata())
                    .containsEntry("needs_review", true)
                    .containsEntry("score", 7)
                    .containsKey("topology_digest");
        }
    }

    @Test
    void finishWithMetadata_reservedKey_rejected() {
        assertThatThrownBy(() -> AgentResponse.finish("x").withMetadata("follow_ups", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'follow_ups' is reserved");
    }

    @Test
    void sameSessionId_storedCompleted_secondRunContinuesItAsANewLeg(@TempDir Path dir) {
        Topology t = Topology.builder().edges("Start -> Solo", "Solo -> End").build();
        List<Object> previous = new CopyOnWriteArrayList<>();
        agents.register("Solo", r -> {
            previous.add(String.valueOf(r.context().get("previous_result")));
            return AgentResponse.finish("answer to " + r.input());
        });

        OrchestraResult first = Orchestra.run(
                "one",
                t,
                options()
                        .stateManager(new StateManager(new FileStorageBackend(dir)))
                        .context(Map.of("session_id", "shared", "keep", "me"))
                        .build());
        // a second process: a new StateManager over the same directory
        OrchestraResult second = Orchestra.run(
                "two",
                t,
                options()
                        .stateManager(new StateManager(new FileStorageBackend(dir)))
                        .context(Map.of("session_id", "shared"))
                        .build());

        assertThat(first.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(second.status()).as(second.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(second.finalResponse()).isEqualTo("answer to two");
        assertThat(previous).containsExactly("null", "answer to one");
        assertThat(second.metadata()).containsEntry("follow_ups", 1);
        assertThat(second.branchResults())
                .extracting(BranchResult::branchId)
                .doesNotContainAnyElementsOf(first.branchResults().stream()
                        .map(BranchResult::branchId)
                        .toList());
    }

    @Test
    void sameSessionId_withoutStateManager_eachRunIsIndependent() {
        Topology t = Topology.builder().edges("Start -> Solo", "Solo -> End").build();
        agents.register(
                "Solo", r -> AgentResponse.finish(String.valueOf(r.context().get("previous_result"))));
        RunOptions run = options().context(Map.of("session_id", "free")).build();

        Orchestra.run("one", t, run);

        assertThat(Orchestra.run("two", t, run).finalResponse()).isEqualTo("null");
    }

    @Test
    void errorRoutingDisabled_failingNodeWithUserEdge_failsWithoutAsking() {
        Topology t = Topology.builder()
                .edges("Start -> Main", "Main -> User", "Main -> End")
                .build();
        agents.register("Main", r -> {
            throw new IllegalStateException("broken");
        });

        OrchestraResult routed = Orchestra.run("task", t, options().build());
        OrchestraResult unrouted = Orchestra.run(
                "task",
                t,
                options()
                        .errorConfig(ErrorHandlingConfig.builder()
                                .maxRetries(0)
                                .enableErrorRouting(false)
                                .build())
                        .build());

        assertThat(routed.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(unrouted.status()).isEqualTo(RunStatus.FAILED);
        assertThat(unrouted.pendingQuestions()).isEmpty();
    }

    @Test
    void dynamicConvergenceDisabled_forcedNodeStillWaits() {
        Topology t = Topology.builder()
                .edges("Start -> A", "Start -> B", "A -> Merge", "B -> Merge", "Merge -> End")
                .rule("convergence_point(Merge)")
                .build();
        agents.register("A", r -> AgentResponse.handOff("Merge", "a"))
                .register("B", r -> AgentResponse.handOff("Merge", "b"))
                .register("Merge", r -> AgentResponse.finish(r.arrivals().size()));

        OrchestraResult result = Orchestra.run(
                "task",
                t,
                options()
                        .executionConfig(ExecutionConfig.builder()
                                .dynamicConvergenceEnabled(false)
                                .build())
                        .build());

        assertThat(result.finalResponses()).containsExactly(2);
    }

    @Test
    void storedSessionInMemoryBackend_runningStatus_refused() {
        StateManager manager = new StateManager(StorageBackends.inMemory());
        Topology t = Topology.builder()
                .edges("Start -> Main", "Main -> User", "Main -> End")
                .build();
        agents.register("Main", r -> AgentResponse.askUser("?"));
        RunOptions run = options()
                .stateManager(manager)
                .context(Map.of("session_id", "busy"))
                .build();
        Orchestra.run("one", t, run);

        assertThatThrownBy(() -> Orchestra.run("two", t, run))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("stored with status WAITING_FOR_USER");
    }
}
