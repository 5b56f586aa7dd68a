package dev.orchestra4j.benchmarks.agentic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.langchain4j.agentic.scope.AgenticScope;
import org.junit.jupiter.api.Test;

final class AgenticFanOutBenchTest {

    @Test
    void fanOut_callerThread_writesEveryBranchOutput() {
        AgenticScope scope = Workflows.runOnce(Workflows.fanOut(100, Runnable::run));

        assertThat(scope.hasState("p0")).isTrue();
        assertThat(scope.hasState("p99")).isTrue();
    }

    @Test
    void setUp_tenBranches_passesBothSelfChecks() {
        AgenticFanOutBench bench = new AgenticFanOutBench();
        bench.width = 10;
        try {
            assertThatNoException().isThrownBy(bench::setUp);
        } finally {
            bench.tearDown();
        }
    }
}
