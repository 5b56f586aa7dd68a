package dev.orchestra4j.examples.marsys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.Verbosity;
import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.PatternConfig;
import dev.orchestra4j.topology.Topology;
import dev.orchestra4j.topology.TopologyException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MARSYS "Class Methods / Orchestra.run()": the simple and the complex example. */
final class OrchestraRunTest {

    private final AgentRegistry agents = AgentRegistry.create();

    @Test
    void simpleExecution_dictTopologyWithOneNodeAndNoEdges() {
        agents.register("Summarizer", r -> AgentResponse.finish("summary of " + r.input()));

        OrchestraResult result = Orchestra.run(
                "Summarize this article",
                Topology.fromMap(Map.of("nodes", List.of("Summarizer"), "edges", List.of())),
                RunOptions.builder().agents(agents).build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("summary of Summarize this article");
    }

    @Test
    void simpleExecution_dictWithMisspelledKey_rejectedInsteadOfAnEmptyGraph() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Topology.fromMap(Map.of("node", List.of("Summarizer"), "edges", List.of())))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("unknown key 'node'");
    }

    @Test
    void complexExecution_allOptions(@TempDir Path state) throws Exception {
        agents.register(
                        "Coordinator",
                        r -> "Start".equals(r.from())
                                ? AgentResponse.handOff("TechAnalyst", r.input())
                                : AgentResponse.finish(r.arrivals().stream()
                                        .map(Arrival::value)
                                        .toList()))
                .register("TechAnalyst", r -> AgentResponse.reply("tech: " + sectors(r.input())))
                .register("FinanceAnalyst", r -> AgentResponse.reply("finance: " + sectors(r.input())))
                .register("Reporter", r -> AgentResponse.reply("report"));
        QueueUserChannel channel = new QueueUserChannel();
        CompletableFuture<UserQuestion> followUp = CompletableFuture.supplyAsync(() -> {
            try {
                UserQuestion question =
                        channel.nextQuestion(Duration.ofSeconds(10)).orElseThrow();
                channel.submit(question.interactionId(), "done");
                return question;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        OrchestraResult result = Orchestra.run(
                Map.of(
                        "request", "Analyze market trends",
                        "sectors", List.of("tech", "finance"),
                        "depth", "comprehensive"),
                PatternConfig.hubAndSpoke("Coordinator", List.of("TechAnalyst", "FinanceAnalyst", "Reporter"), true),
                RunOptions.builder()
                        .agents(agents)
                        .context(Map.of(
                                "session_id", "market_analysis_2024", "user_preferences", Map.of("format", "detailed")))
                        .executionConfig(ExecutionConfig.builder()
                                .convergenceTimeout(Duration.ofSeconds(600))
                                .branchTimeout(Duration.ofSeconds(1200))
                                .status(StatusConfig.fromVerbosity(Verbosity.VERBOSE)
                                        .withOut(new PrintStream(OutputStream.nullOutputStream())))
                                .build())
                        .stateManager(new StateManager(new FileStorageBackend(state)))
                        .maxSteps(100)
                        .allowFollowUps(true)
                        .followUpTimeout(Duration.ofSeconds(120))
                        .communicationConfig(CommunicationConfig.of(channel))
                        .build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.sessionId()).isEqualTo("market_analysis_2024");
        // parallel_spokes=True: the hand-off to one analyst dispatches every spoke at once
        assertThat(result.finalResponse())
                .isEqualTo(List.of("tech: [tech, finance]", "finance: [tech, finance]", "report"));
        assertThat(followUp.get().kind()).isEqualTo(UserQuestion.Kind.FOLLOW_UP);
        assertThat(new StateManager(new FileStorageBackend(state)).loadSession("market_analysis_2024"))
                .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("COMPLETED"));
    }

    private static Object sectors(Object input) {
        return input instanceof Map<?, ?> task ? task.get("sectors") : input;
    }
}
