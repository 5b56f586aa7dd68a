package dev.orchestra4j.benchmarks.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class BaselinePipelineBenchTest {

    private final BaselinePipelineBench bench = new BaselinePipelineBench();

    @Test
    void directLoop_tenSteps_endsWithTheLastStepsOutput() throws InterruptedException {
        bench.steps = 10;
        bench.setUp();

        assertThat(bench.directLoop()).isEqualTo(Map.of("k", 9));
    }

    @Test
    void coordinatorHandOff_hundredSteps_runsEveryStep() throws InterruptedException {
        bench.steps = 100;
        bench.setUp();

        assertThat(bench.coordinatorHandOff()).isEqualTo(100);
    }
}
