package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.examples.CodingRun.TestReport;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CodingRunTest {

    @Test
    void run_samplePatches_failingTestsLoopBackUntilGreenThenReviewerLandsWithProofOfWork() {
        OrchestraResult result = CodingRun.run(CodingRun.SAMPLE_ISSUE, CodingRun.PATCHES, RunOptions.builder());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.agentInvocationCount("Implementer")).isEqualTo(3);
        assertThat(result.agentInvocationCount("Tester")).isEqualTo(3);
        assertThat(result.agentInvocationCount("Reviewer")).isEqualTo(1);
        assertThat(result.finalResponseAsText())
                .startsWith("# Landed: FIZZ-1")
                .contains("revision 3: fix the casing of FizzBuzz", "6/6 tests passed");
    }

    @Test
    void run_implementerNeverGetsTestsGreen_maxStepsRuleStopsTheRunAndNothingLands() {
        OrchestraResult result =
                CodingRun.run(CodingRun.SAMPLE_ISSUE, List.of(CodingRun.PATCHES.getFirst()), RunOptions.builder());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(error -> assertThat(error).contains("maxSteps (16) reached"));
        assertThat(result.totalSteps()).isEqualTo(16);
        assertThat(result.wasAgentInvoked("Reviewer")).isFalse();
    }

    @Test
    void test_buggyPatch_reportsEveryFailingCase() {
        TestReport report = CodingRun.test(CodingRun.PATCHES.getFirst());

        assertThat(report.green()).isFalse();
        assertThat(report.passed()).isEqualTo(4);
        assertThat(report.failures())
                .containsExactly(
                        "fizzBuzz(15) expected FizzBuzz but was Fizz", "fizzBuzz(30) expected FizzBuzz but was Fizz");
    }
}
