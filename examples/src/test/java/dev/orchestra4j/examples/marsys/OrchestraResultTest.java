package dev.orchestra4j.examples.marsys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.BranchResult;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MARSYS "OrchestraResult": its fields, helper methods and the example result handling. */
final class OrchestraResultTest {

    private static final Topology TOPOLOGY = Topology.builder()
            .edge("Start -> Lead")
            .edges("Lead <-> DataAnalyst", "Lead <-> Critic", "Lead -> End")
            .build();

    private final AgentRegistry agents = AgentRegistry.create()
            .register(
                    "Lead",
                    r -> "Start".equals(r.from())
                            ? AgentResponse.parallel(
                                    Invocation.of("DataAnalyst", "numbers"), Invocation.of("Critic", "tone"))
                            : AgentResponse.finish(Map.of(
                                    "title", "Findings",
                                    "summary", "two views",
                                    "sections", List.of(Map.of("heading", "Data", "content", "up")))))
            .register("DataAnalyst", r -> {
                r.recorder().tokens(100, 20);
                return AgentResponse.reply("trend is up");
            })
            .register("Critic", r -> AgentResponse.reply("tone is fine"));

    private OrchestraResult run(AgentRegistry registry, ExecutionConfig config) {
        return Orchestra.run(
                "Summarize the quarter",
                TOPOLOGY,
                RunOptions.builder()
                        .agents(registry)
                        .executionConfig(config)
                        .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                        .build());
    }

    @Test
    void helperMethods_onASuccessfulRun() throws Exception {
        OrchestraResult result = run(agents, ExecutionConfig.defaults());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.totalSteps()).isEqualTo(4);
        assertThat(result.totalDuration()).isPositive();
        assertThat(result.sessionId()).isNotBlank();
        assertThat(result.error()).isEmpty();
        assertThat(result.checkpointIds()).isEmpty();
        BranchResult first = result.branchResults().get(0);
        assertThat(result.branch(first.branchId())).contains(first);
        assertThat(result.branchResults()).allSatisfy(branch -> {
            assertThat(branch.status()).isEqualTo(BranchStatus.COMPLETED);
            assertThat(branch.steps()).isPositive();
            assertThat(branch.duration().isNegative()).isFalse();
        });
        assertThat(result.successfulBranches()).hasSize(3);
        assertThat(result.failedBranches()).isEmpty();
        assertThat(result.finalResponseAsText()).contains("# Findings", "two views", "## Data");
        assertThat(result.wasAgentInvoked("DataAnalyst")).isTrue();
        assertThat(result.agentInvocationCount("DataAnalyst")).isEqualTo(1);
        assertThat(result.agentInvocationCount("Lead")).isEqualTo(2);
        assertThat(result.executionTrace()).extracting(TraceStep::agent).contains("Lead", "DataAnalyst", "Critic");
        JsonNode json = new ObjectMapper().readTree(result.toJson());
        assertThat(json.path("success").asBoolean()).isTrue();
        assertThat(result.metrics().inputTokens()).isEqualTo(100);
        assertThat(result.metrics().steps()).isEqualTo(4);
    }

    @Test
    void exampleResultHandling_failedBranchIsListedWithItsError() {
        agents.register("Critic", r -> {
            throw new IllegalArgumentException("cannot judge tone");
        });

        OrchestraResult result = run(
                agents,
                ExecutionConfig.builder()
                        .convergencePolicy(ConvergencePolicy.ANY)
                        .convergenceTimeout(Duration.ofSeconds(30))
                        .build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.failedBranches()).singleElement().satisfies(branch -> {
            assertThat(branch.status()).isEqualTo(BranchStatus.FAILED);
            assertThat(branch.agents()).contains("Critic");
            assertThat(branch.error()).hasValueSatisfying(e -> assertThat(e).contains("cannot judge tone"));
        });
    }

    @Test
    void exampleResultHandling_strictPolicyFailsTheRunWithAnError() {
        agents.register("Critic", r -> {
            throw new IllegalArgumentException("cannot judge tone");
        });

        OrchestraResult result = run(agents, ExecutionConfig.defaults());

        assertThat(result.success()).isFalse();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("cannot judge tone"));
        assertThat(result.failedBranches()).isNotEmpty();
    }
}
