package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ParallelExpertsTest {

    /** A safety net: a hang would fail the test instead of blocking the build. */
    private static RunOptions.Builder options() {
        return RunOptions.builder()
                .executionConfig(ExecutionConfig.builder()
                        .runTimeout(Duration.ofSeconds(20))
                        .build());
    }

    @Test
    void run_sampleProposal_synthesizerRunsOnceWithEveryVerdict() {
        OrchestraResult result = ParallelExperts.run(ParallelExperts.SAMPLE_PROPOSAL, options());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.agentInvocationCount("Synthesizer")).isEqualTo(1);
        assertThat(result.finalResponseAsText())
                .startsWith("# Design review")
                .contains("3 of 3 reviewers asked for changes", "## Security", "## Performance", "## Usability");
        assertThat(ParallelExperts.topology().analysis().rendezvousNodes()).containsExactly("Synthesizer");
    }

    @Test
    void run_proposalWithoutFindings_everyReviewerApproves() {
        OrchestraResult result = ParallelExperts.run("Rename the module to orchestra4j-bom.", options());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponseAsText()).contains("Approved by all 3 reviewers.");
    }

    @Test
    void run_oneExpertCrashesUnderStrictPolicy_runFailsNamingItAndNothingIsSynthesized() {
        Agent crashing = request -> {
            throw new IllegalStateException("security scanner crashed");
        };
        Map<String, Agent> experts = Map.of(
                "Security", crashing,
                "Performance", request -> AgentResponse.reply("no concerns"),
                "Usability", request -> AgentResponse.reply("no concerns"));

        OrchestraResult result = ParallelExperts.run(ParallelExperts.SAMPLE_PROPOSAL, experts, options());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(error -> assertThat(error).contains("'Security'", "security scanner crashed"));
        assertThat(result.finalResponse()).isNull();
    }
}
