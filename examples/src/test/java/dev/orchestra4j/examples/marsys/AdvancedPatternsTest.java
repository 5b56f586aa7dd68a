package dev.orchestra4j.examples.marsys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** MARSYS "Advanced Patterns": conditional execution, dynamic selection, multi-session workflows, error recovery. */
final class AdvancedPatternsTest {

    private final AgentRegistry agents = AgentRegistry.create();

    // ------------------------------------------------------------------ Pattern 1: Conditional Execution

    /** {@code Topology(nodes=[...], edges=["...", Edge("ProcessorA", "Finalizer", metadata={"condition": ...})])}. */
    private static Topology conditionalTopology() {
        return Topology.fromMap(Map.of(
                "nodes", List.of("Validator", "ProcessorA", "ProcessorB", "Finalizer"),
                "edges",
                        List.of(
                                "Validator -> ProcessorA",
                                "Validator -> ProcessorB",
                                new Edge(
                                        "ProcessorA",
                                        "Finalizer",
                                        EdgeKind.INVOKE,
                                        Optional.empty(),
                                        Map.of("condition", "valid")),
                                new Edge(
                                        "ProcessorB",
                                        "Finalizer",
                                        EdgeKind.INVOKE,
                                        Optional.empty(),
                                        Map.of("condition", "invalid")))));
    }

    private void registerConditionalAgents(String processorALabel) {
        agents.register(
                        "Validator",
                        r -> AgentResponse.handOff(
                                r.inputText().contains("valid data") ? "ProcessorA" : "ProcessorB", r.input()))
                .register("ProcessorA", r -> AgentResponse.reply("A processed " + r.input())
                        .label(processorALabel))
                .register("ProcessorB", r -> AgentResponse.reply("B quarantined " + r.input())
                        .label("invalid"))
                .register(
                        "Finalizer",
                        r -> AgentResponse.finish("final: "
                                + r.arrivals().stream().map(a -> a.value()).toList()));
    }

    @Test
    void pattern1_conditionalExecution_metadataConditionRoutesValidDataThroughProcessorA() {
        Topology topology = conditionalTopology();
        registerConditionalAgents("valid");

        OrchestraResult result = Orchestra.run(
                "Process data based on validation: valid data",
                topology,
                RunOptions.builder().agents(agents).build());

        assertThat(topology.edges().stream().map(Edge::notation))
                .contains("ProcessorA -> Finalizer [when valid]", "ProcessorB -> Finalizer [when invalid]");
        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse())
                .isEqualTo("final: [A processed Process data based on validation: valid data]");
        assertThat(result.wasAgentInvoked("ProcessorB")).isFalse();
    }

    @Test
    void pattern1_conditionalExecution_invalidDataTakesProcessorB() {
        registerConditionalAgents("valid");

        OrchestraResult result = Orchestra.run(
                "broken record",
                conditionalTopology(),
                RunOptions.builder().agents(agents).build());

        assertThat(result.finalResponse()).isEqualTo("final: [B quarantined broken record]");
        assertThat(result.wasAgentInvoked("ProcessorA")).isFalse();
    }

    @Test
    void pattern1_conditionalExecution_replyNotMatchingTheCondition_neverReachesFinalizer() {
        registerConditionalAgents("invalid"); // ProcessorA's edge to Finalizer holds only for 'valid'

        OrchestraResult result = Orchestra.run(
                "valid data",
                conditionalTopology(),
                RunOptions.builder().agents(agents).build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("no edge out of 'ProcessorA' holds", "[when valid]"));
        assertThat(result.wasAgentInvoked("Finalizer")).isFalse();
    }

    // ------------------------------------------------------------------ Pattern 2: Dynamic Agent Selection

    @Test
    void pattern2_dynamicAgentSelection_coordinatorPicksFromTheContext() {
        Topology topology = Topology.builder()
                .edge("Start -> Coordinator")
                .edges("Coordinator <-> MLExpert", "Coordinator <-> StatsExpert", "Coordinator <-> DataExpert")
                .edge("Coordinator -> End")
                .build();
        agents.register("Coordinator", r -> {
                    if (!"Start".equals(r.from())) {
                        return AgentResponse.finish(r.from() + ": " + r.input());
                    }
                    List<?> specialists = (List<?>) r.context().get("available_specialists");
                    return AgentResponse.handOff(String.valueOf(specialists.get(1)), r.input());
                })
                .register("MLExpert", r -> AgentResponse.reply("ml"))
                .register("StatsExpert", r -> AgentResponse.reply("distribution looks normal"))
                .register("DataExpert", r -> AgentResponse.reply("data"));
        Map<String, Object> context = Map.of(
                "available_specialists",
                List.of("MLExpert", "StatsExpert", "DataExpert"),
                "selection_criteria",
                "best_match");

        OrchestraResult result = Orchestra.run(
                "Analyze this dataset",
                topology,
                RunOptions.builder().agents(agents).context(context).build());

        assertThat(result.finalResponse()).isEqualTo("StatsExpert: distribution looks normal");
        assertThat(result.wasAgentInvoked("MLExpert")).isFalse();
    }

    // ------------------------------------------------------------------ Pattern 3: Multi-Session Workflow

    private static Topology phase(String agent) {
        return Topology.builder()
                .edge("Start -> " + agent)
                .edge(agent + " -> End")
                .build();
    }

    @Test
    void pattern3_multiSessionWorkflow_threeRunsShareOneStoredSession() {
        StateManager stateManager = new StateManager(StorageBackends.inMemory());
        List<Map<String, Object>> seenContexts = new CopyOnWriteArrayList<>();
        agents.register("Researcher", r -> AgentResponse.finish("findings on " + r.input()))
                .register("Analyst", r -> {
                    seenContexts.add(Map.copyOf(r.context()));
                    return AgentResponse.finish("analysis of " + r.context().get("research_data"));
                })
                .register("Reporter", r -> {
                    seenContexts.add(Map.copyOf(r.context()));
                    return AgentResponse.finish("report on " + r.context().get("analysis_data"));
                });
        RunOptions.Builder options = RunOptions.builder().agents(agents).stateManager(stateManager);

        OrchestraResult researchResult = Orchestra.run(
                "Research the topic",
                phase("Researcher"),
                options.context(Map.of("session_id", "project_123", "phase", "research"))
                        .build());
        OrchestraResult analysisResult = Orchestra.run(
                "Analyze the research findings",
                phase("Analyst"),
                options.context(Map.of(
                                "session_id",
                                "project_123",
                                "phase",
                                "analysis",
                                "research_data",
                                researchResult.finalResponse()))
                        .build());
        OrchestraResult reportResult = Orchestra.run(
                "Generate final report",
                phase("Reporter"),
                options.context(Map.of(
                                "session_id",
                                "project_123",
                                "phase",
                                "report",
                                "analysis_data",
                                analysisResult.finalResponse()))
                        .build());

        assertThat(List.of(researchResult, analysisResult, reportResult))
                .allSatisfy(r -> assertThat(r.status()).as(r.error().orElse("")).isEqualTo(RunStatus.COMPLETED))
                .allSatisfy(r -> assertThat(r.sessionId()).isEqualTo("project_123"));
        assertThat(reportResult.finalResponse()).isEqualTo("report on analysis of findings on Research the topic");
        // the session continues: earlier context stays (merged under the new one), previous_result is set
        assertThat(seenContexts.get(0))
                .containsEntry("phase", "analysis")
                .containsEntry("previous_result", "findings on Research the topic");
        assertThat(seenContexts.get(1))
                .containsEntry("phase", "report")
                .containsEntry("research_data", "findings on Research the topic")
                .containsEntry("previous_result", "analysis of findings on Research the topic");
        assertThat(reportResult.metadata()).containsEntry("follow_ups", 2);
        assertThat(stateManager.loadSession("project_123"))
                .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("COMPLETED"));
    }

    @Test
    void pattern3_sessionStillWaitingForTheUser_secondRunRefusedWithAHint() {
        StateManager stateManager = new StateManager(StorageBackends.inMemory());
        agents.register("Researcher", r -> AgentResponse.askUser("Which topic?"));
        RunOptions options = RunOptions.builder()
                .agents(agents)
                .stateManager(stateManager)
                .communicationConfig(CommunicationConfig.durable())
                .context(Map.of("session_id", "project_456"))
                .build();
        Topology topology = Topology.builder()
                .edges("Start -> Researcher", "Researcher -> User", "Researcher -> End")
                .build();

        assertThat(Orchestra.run("Research", topology, options).status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThatThrownBy(() -> Orchestra.run("Research again", topology, options))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("session 'project_456' is stored with status WAITING_FOR_USER")
                .hasMessageContaining("resumeSession");
    }

    // ------------------------------------------------------------------ Pattern 4: Error Recovery

    /** The document's dict, as written: a legacy topology (no Start/End) around a User node. */
    private static Topology errorRecoveryTopology() {
        return Topology.fromMap(Map.of(
                "nodes", List.of("User", "MainProcessor", "ErrorHandler", "Fallback"),
                "edges",
                        List.of(
                                "User -> MainProcessor",
                                "MainProcessor -> User", // Success path
                                "MainProcessor -> ErrorHandler", // Error path
                                "ErrorHandler -> User", // Recovery interaction
                                "ErrorHandler -> Fallback", // Fallback path
                                "Fallback -> User")));
    }

    private static ErrorHandlingConfig errorConfig() {
        return ErrorHandlingConfig.builder()
                .enableErrorRouting(true)
                .preserveErrorContext(true)
                .maxRetries(0)
                .build();
    }

    /** Answers each question the run asks with the next scripted answer, recording the questions. */
    private static CompletableFuture<List<UserQuestion>> answer(QueueUserChannel channel, String... answers) {
        return CompletableFuture.supplyAsync(() -> {
            List<UserQuestion> asked = new CopyOnWriteArrayList<>();
            try {
                for (String answer : answers) {
                    UserQuestion question =
                            channel.nextQuestion(Duration.ofSeconds(10)).orElseThrow();
                    asked.add(question);
                    channel.submit(question.interactionId(), answer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return asked;
        });
    }

    @Test
    void pattern4_errorRecovery_successPathAnswersTheUser() {
        agents.register("MainProcessor", r -> AgentResponse.finish("processed " + r.input()))
                .register("ErrorHandler", r -> AgentResponse.finish("unused"))
                .register("Fallback", r -> AgentResponse.finish("unused"));

        OrchestraResult result = Orchestra.run(
                "Process with error recovery",
                errorRecoveryTopology(),
                RunOptions.builder().agents(agents).errorConfig(errorConfig()).build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("processed Process with error recovery");
    }

    @Test
    void pattern4_errorRecovery_failureAsksTheUserThroughTheUserEdgeAndRetries() {
        AtomicInteger attempts = new AtomicInteger();
        agents.register("MainProcessor", r -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("upstream returned garbage");
                    }
                    return AgentResponse.finish("processed on attempt " + attempts.get());
                })
                .register("ErrorHandler", r -> AgentResponse.finish("unused"))
                .register("Fallback", r -> AgentResponse.finish("unused"));
        QueueUserChannel channel = new QueueUserChannel();
        CompletableFuture<List<UserQuestion>> asked = answer(channel, "retry");

        OrchestraResult result = Orchestra.run(
                "Process with error recovery",
                errorRecoveryTopology(),
                RunOptions.builder()
                        .agents(agents)
                        .errorConfig(errorConfig())
                        .communicationConfig(CommunicationConfig.of(channel))
                        .build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("processed on attempt 2");
        assertThat(asked.join()).singleElement().satisfies(q -> {
            assertThat(q.kind()).isEqualTo(UserQuestion.Kind.ERROR_DECISION);
            assertThat(q.question()).contains("'MainProcessor' failed", "upstream returned garbage");
        });
    }

    @Test
    void pattern4_errorRecovery_plainEdgesToErrorHandlerUserAndFallback() {
        agents.register("MainProcessor", r -> AgentResponse.handOff("ErrorHandler", "colour missing in " + r.input()))
                .register(
                        "ErrorHandler",
                        r -> "MainProcessor".equals(r.from())
                                ? AgentResponse.handOff("User", "Which colour?")
                                : AgentResponse.reply("colour=" + r.input()))
                .register("Fallback", r -> AgentResponse.finish("fallback used " + r.input()));
        QueueUserChannel channel = new QueueUserChannel();
        CompletableFuture<List<UserQuestion>> asked = answer(channel, "blue");

        OrchestraResult result = Orchestra.run(
                "order 17",
                errorRecoveryTopology(),
                RunOptions.builder()
                        .agents(agents)
                        .errorConfig(errorConfig())
                        .communicationConfig(CommunicationConfig.of(channel))
                        .build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        // the user sees the text as written (no JSON quotes), and the ErrorHandler's reply (edges to User and
        // Fallback) hands off to Fallback instead of becoming an invalid fork with User
        assertThat(asked.join()).singleElement().satisfies(q -> assertThat(q.question())
                .isEqualTo("Which colour?"));
        assertThat(result.finalResponse()).isEqualTo("fallback used colour=blue");
    }

    @Test
    void pattern4_errorRoutingDisabled_failureEndsTheRunWithoutAskingTheUser() {
        agents.register("MainProcessor", r -> {
                    throw new IllegalStateException("upstream returned garbage");
                })
                .register("ErrorHandler", r -> AgentResponse.finish("unused"))
                .register("Fallback", r -> AgentResponse.finish("unused"));
        QueueUserChannel channel = new QueueUserChannel();

        OrchestraResult result = Orchestra.run(
                "Process with error recovery",
                errorRecoveryTopology(),
                RunOptions.builder()
                        .agents(agents)
                        .errorConfig(ErrorHandlingConfig.builder()
                                .enableErrorRouting(false)
                                .maxRetries(0)
                                .build())
                        .communicationConfig(CommunicationConfig.of(channel))
                        .build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("upstream returned garbage"));
        assertThat(channel.pending()).isEmpty();
    }
}
