package dev.orchestra4j.benchmarks.langgraph4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.bsc.langgraph4j.GraphStateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class LangGraphPipelineBenchTest {

    @ParameterizedTest
    @EnumSource(StateCloning.class)
    void invoke_hundredSteps_endsWithTheLastStepsOutput(StateCloning cloning) throws GraphStateException {
        LangGraphPipelineBench bench = new LangGraphPipelineBench();
        bench.steps = 100;
        bench.cloning = cloning;
        bench.setUp();

        assertThat(bench.invoke().orElseThrow().data()).containsEntry("k", 99);
    }
}
