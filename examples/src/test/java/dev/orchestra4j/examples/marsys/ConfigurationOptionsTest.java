package dev.orchestra4j.examples.marsys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.SteeringMode;
import dev.orchestra4j.core.Verbosity;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.metrics.ConsoleReporter;
import dev.orchestra4j.metrics.MetricsCollector;
import dev.orchestra4j.metrics.PrometheusEndpoint;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MARSYS "Configuration Options": execution configuration, state management, metrics collection. */
final class ConfigurationOptionsTest {

    private static final StatusConfig NORMAL =
            StatusConfig.fromVerbosity(Verbosity.NORMAL).withOut(new PrintStream(OutputStream.nullOutputStream()));

    private final AgentRegistry agents = AgentRegistry.create();

    /** Two entries feed Merge one way each: with dynamic convergence Merge is a rendezvous. */
    private static final Topology TWO_SOURCES = Topology.builder()
            .edges("Start -> Web", "Start -> Papers", "Web -> Merge", "Papers -> Merge", "Merge -> End")
            .build();

    private OrchestraResult twoSources(ExecutionConfig config, List<Object> mergeInputs) {
        agents.register("Web", r -> AgentResponse.handOff("Merge", "web"))
                .register("Papers", r -> AgentResponse.handOff("Merge", "papers"))
                .register("Merge", r -> {
                    mergeInputs.add(r.input() instanceof List<?> ? r.arrivals().size() + " arrivals" : r.input());
                    return AgentResponse.finish("merged");
                });
        return Orchestra.run(
                "task",
                TWO_SOURCES,
                RunOptions.builder().agents(agents).executionConfig(config).build());
    }

    @Test
    void executionConfiguration_asWritten_runsWithEveryKnob() {
        ExecutionConfig config = ExecutionConfig.builder()
                .convergenceTimeout(Duration.ofSeconds(300))
                .branchTimeout(Duration.ofSeconds(600))
                .stepTimeout(Duration.ofSeconds(120))
                .dynamicConvergenceEnabled(true)
                .steeringMode(SteeringMode.AUTO)
                .status(NORMAL)
                .build();
        List<Object> mergeInputs = new CopyOnWriteArrayList<>();

        OrchestraResult result = twoSources(config, mergeInputs);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(mergeInputs).containsExactly("2 arrivals");
        assertThat(result.finalResponses()).containsExactly("merged");
    }

    @Test
    void dynamicConvergenceDisabled_eachArrivalPassesThroughMergeOnItsOwn() {
        List<Object> mergeInputs = new CopyOnWriteArrayList<>();

        OrchestraResult result = twoSources(
                ExecutionConfig.builder().dynamicConvergenceEnabled(false).build(), mergeInputs);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(mergeInputs).containsExactlyInAnyOrder("web", "papers");
        assertThat(result.finalResponses()).containsExactly("merged", "merged");
    }

    private OrchestraResult steered(SteeringMode mode, List<String> steering) {
        agents.register("Planner", r -> {
                    if (r.error().isEmpty()) {
                        return AgentResponse.handOff("Nobody", "hallucinated target");
                    }
                    steering.add(r.error().get().message());
                    return AgentResponse.handOff("Writer", "plan");
                })
                .register("Writer", r -> AgentResponse.finish("written"));
        Topology topology = Topology.builder()
                .edges("Start -> Planner", "Planner -> Writer", "Writer -> End")
                .build();
        return Orchestra.run(
                "task",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(
                                ExecutionConfig.builder().steeringMode(mode).build())
                        .build());
    }

    @Test
    void steeringModeAuto_invalidTargetIsSteeredOnce() {
        List<String> steering = new CopyOnWriteArrayList<>();

        OrchestraResult result = steered(SteeringMode.AUTO, steering);

        assertThat(result.finalResponse()).isEqualTo("written");
        assertThat(steering).singleElement().asString().contains("cannot invoke 'Nobody'");
    }

    @Test
    void steeringModeNever_invalidTargetFailsTheRunAtOnce() {
        List<String> steering = new CopyOnWriteArrayList<>();

        OrchestraResult result = steered(SteeringMode.NEVER, steering);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("cannot invoke 'Nobody'"));
        assertThat(steering).isEmpty();
    }

    @Test
    void steeringModeAlways_llmAgentSeesItsOptionsBeforeAnswering() {
        ScriptedChatModel model = ScriptedChatModel.of(ScriptedChatModel.finish("done"));
        agents.register(
                "Solo",
                LlmAgent.builder()
                        .name("Solo")
                        .model(model)
                        .systemPrompt("Answer.")
                        .build());
        Topology topology =
                Topology.builder().edges("Start -> Solo", "Solo -> End").build();

        OrchestraResult result = Orchestra.run(
                "task",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(ExecutionConfig.builder()
                                .steeringMode(SteeringMode.ALWAYS)
                                .build())
                        .build());

        assertThat(result.finalResponse()).isEqualTo("done");
        assertThat(model.requests().getFirst().messages())
                .filteredOn(UserMessage.class::isInstance)
                .extracting(message -> ((UserMessage) message).singleText())
                .anySatisfy(text -> assertThat(text).startsWith("Coordination tools you may call in this step: "));
    }

    @Test
    void stateManagement_fileBackendWithAutoSaveIntervalAndCompression(@TempDir Path dir) {
        StateManager stateManager = StateManager.builder(new FileStorageBackend(dir))
                .autoSaveInterval(Duration.ofSeconds(30))
                .compression(true)
                .build();
        agents.register("Solo", r -> AgentResponse.finish("kept"));
        Topology topology =
                Topology.builder().edges("Start -> Solo", "Solo -> End").build();

        OrchestraResult result = Orchestra.run(
                "task",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .stateManager(stateManager)
                        .context(Map.of("session_id", "config-state"))
                        .build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(new StateManager(new FileStorageBackend(dir)).loadSession("config-state"))
                .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("COMPLETED"));
    }

    @Test
    void metricsCollection_getMetricByName() throws Exception {
        MetricsCollector metrics = MetricsCollector.prometheus();
        agents.register("Researcher", r -> {
                    r.recorder().tokens(300, 45);
                    return AgentResponse.handOff("Writer", "notes");
                })
                .register("Writer", r -> {
                    r.recorder().tokens(200, 80);
                    return AgentResponse.finish("report");
                });
        Topology topology = Topology.builder()
                .edges("Start -> Researcher", "Researcher -> Writer", "Writer -> End")
                .build();

        OrchestraResult result = Orchestra.run(
                "task",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .listener(metrics)
                        .awaitListeners(true)
                        .build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(metrics.getMetric("api_calls")).isEqualTo(2.0);
        assertThat(metrics.getMetric("total_tokens")).isEqualTo(625.0);
        // exporters=["prometheus", "console"]: the Prometheus text format and a console summary
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(0, metrics)) {
            HttpResponse<String> scrape = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(endpoint.url()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.body()).contains("orchestra_tokens_total");
        }
        assertThat(ConsoleReporter.of(metrics).report()).contains("Researcher", "Writer");
    }
}
