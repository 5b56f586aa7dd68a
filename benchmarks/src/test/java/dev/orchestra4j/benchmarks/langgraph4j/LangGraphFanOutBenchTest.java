package dev.orchestra4j.benchmarks.langgraph4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.bsc.langgraph4j.GraphStateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class LangGraphFanOutBenchTest {

    @ParameterizedTest
    @EnumSource(StateCloning.class)
    void invoke_tenBranches_joinsEveryBranchOutput(StateCloning cloning) throws GraphStateException {
        LangGraphFanOutBench bench = new LangGraphFanOutBench();
        bench.width = 10;
        bench.cloning = cloning;
        try {
            bench.setUp();

            assertThat(bench.invoke().orElseThrow().data()).containsKeys("p0", "p9");
        } finally {
            bench.tearDown();
        }
    }
}
