package dev.orchestra4j.benchmarks.agentic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import org.junit.jupiter.api.Test;

final class AgenticCycleBenchTest {

    @Test
    void cycle_hundredSteps_callsTheTwoAgentsInTurn() {
        var scope = Workflows.runOnce(Workflows.cycle(100));

        assertThat(scope.agentInvocations()).hasSize(100);
        assertThat(scope.readState("k")).as("the second agent ran last").isEqualTo(1);
    }

    @Test
    void setUp_tenSteps_passesItsSelfCheck() {
        AgenticCycleBench bench = new AgenticCycleBench();
        bench.steps = 10;

        assertThatNoException().isThrownBy(bench::setUp);
    }
}
