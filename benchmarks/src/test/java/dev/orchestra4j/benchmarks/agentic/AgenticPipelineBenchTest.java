package dev.orchestra4j.benchmarks.agentic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.langchain4j.agentic.scope.AgenticScope;
import org.junit.jupiter.api.Test;

final class AgenticPipelineBenchTest {

    @Test
    void pipeline_hundredSteps_invokesEveryAgentInOrder() {
        AgenticScope scope = Workflows.runOnce(Workflows.pipeline(100));

        assertThat(scope.agentInvocations()).hasSize(100);
        assertThat(scope.readState("k")).isEqualTo(99);
    }

    @Test
    void setUp_tenSteps_passesItsSelfCheck() {
        AgenticPipelineBench bench = new AgenticPipelineBench();
        bench.steps = 10;

        assertThatNoException().isThrownBy(bench::setUp);
    }
}
