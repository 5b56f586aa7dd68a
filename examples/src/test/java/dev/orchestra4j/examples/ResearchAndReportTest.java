package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class ResearchAndReportTest {

    private static RunOptions.Builder options(ConvergencePolicy policy) {
        return RunOptions.builder()
                .executionConfig(
                        ExecutionConfig.builder().convergencePolicy(policy).build())
                .errorConfig(ErrorHandlingConfig.builder()
                        .maxRetries(1)
                        .baseDelay(Duration.ZERO)
                        .build());
    }

    @Test
    void run_offlineModel_spokesRunInParallelAndWriterFinishesWithMarkdownReport() {
        ScriptedChatModel model = ResearchAndReport.offlineModel();

        OrchestraResult result =
                ResearchAndReport.run(ResearchAndReport.DEFAULT_QUESTION, model, options(ConvergencePolicy.STRICT));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponseAsText())
                .startsWith("# Virtual threads and server design")
                .contains("## From practitioners", "## From research", "## By the numbers")
                .contains("JEP 444", "(3 of 3 sources.)");
        assertThat(result.executionTrace())
                .filteredOn(step -> step.agent().equals("Researcher"))
                .first()
                .satisfies(step -> {
                    assertThat(step.action()).isEqualTo(TraceStep.Action.PARALLEL);
                    assertThat(step.targets()).containsExactly("WebSearch", "Papers", "Stats");
                });
        assertThat(result.agentInvocationCount("Researcher")).isEqualTo(2);
        assertThat(result.metrics().inputTokens()).isPositive();
    }

    @Test
    void run_offlineModel_spokesCallTheirRegularToolsAndTheModelSeesOnlyPermittedCoordinationTools() {
        ScriptedChatModel model = ResearchAndReport.offlineModel();

        ResearchAndReport.run(ResearchAndReport.DEFAULT_QUESTION, model, options(ConvergencePolicy.STRICT));

        assertThat(model.requests("Stats").getFirst().toolSpecifications())
                .extracting(spec -> spec.name())
                .contains("lookUpStatistic", "invoke_agent")
                .doesNotContain("finish");
        assertThat(model.requests("Writer").getFirst().toolSpecifications())
                .extracting(spec -> spec.name())
                .containsExactly("finish");
        assertThat(Transcripts.lastUserText(model.requests("Writer").getFirst()))
                .contains("[from WebSearch]", "[from Papers]", "[from Stats]");
    }

    @Test
    void run_spokeUnavailableUnderStrictPolicy_runFailsNamingTheSpokeAndWriterNeverRuns() {
        ScriptedChatModel model = ResearchAndReport.offlineModel(Set.of("Stats"));

        OrchestraResult result =
                ResearchAndReport.run(ResearchAndReport.DEFAULT_QUESTION, model, options(ConvergencePolicy.STRICT));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(
                        error -> assertThat(error).contains("'Stats'").contains("503"));
        assertThat(result.wasAgentInvoked("Writer")).isFalse();
        assertThat(result.metrics().retries()).isEqualTo(1);
    }

    @Test
    void run_spokeUnavailableUnderMajorityPolicy_reportIsWrittenFromTheTwoOtherSpokes() {
        ScriptedChatModel model = ResearchAndReport.offlineModel(Set.of("Stats"));

        OrchestraResult result =
                ResearchAndReport.run(ResearchAndReport.DEFAULT_QUESTION, model, options(ConvergencePolicy.MAJORITY));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponseAsText())
                .contains("## From practitioners", "## From research", "(2 of 3 sources.)")
                .doesNotContain("## By the numbers");
        assertThat(result.failedBranches()).singleElement().satisfies(branch -> assertThat(branch.agents())
                .containsExactly("Stats"));
    }

    @Test
    void run_openAiCompatibleServer_teamRunsThroughTheRealOpenAiClientWithToolsOfferedPerTopology() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            ChatModel openAi = OpenAiChatModel.builder()
                    .baseUrl(server.baseUrl())
                    .apiKey("test-key")
                    .modelName("gpt-4o-mini")
                    .build();

            OrchestraResult result = ResearchAndReport.run(
                    ResearchAndReport.DEFAULT_QUESTION, openAi, options(ConvergencePolicy.STRICT));

            assertThat(result.success()).as(result.error().orElse("")).isTrue();
            assertThat(result.finalResponseAsText())
                    .contains("## From practitioners", "## From research", "## By the numbers", "(3 of 3 sources.)");
            assertThat(server.requests()).hasSize(9);
            assertThat(server.requests())
                    .extracting(FakeOpenAiServer::toolNames)
                    .contains(List.of("invoke_agent", "lookUpStatistic"), List.of("finish"));
            assertThat(result.metrics().inputTokens()).isEqualTo(900);
        }
    }

    @Test
    void topology_isHubAndSpokeWithParallelSpokesAndAWriter() {
        var analysis = ResearchAndReport.topology().analysis();

        assertThat(analysis.successors("Researcher")).contains("WebSearch", "Papers", "Stats", "Writer");
        assertThat(analysis.exitAgents()).contains("Writer");
        assertThat(analysis.rendezvousNodes()).isEmpty();
        assertThat(ResearchAndReport.report(Map.of())).containsEntry("sections", java.util.List.of());
    }
}
