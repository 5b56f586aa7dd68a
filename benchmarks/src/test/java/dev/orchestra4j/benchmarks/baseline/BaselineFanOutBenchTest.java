package dev.orchestra4j.benchmarks.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class BaselineFanOutBenchTest {

    private final BaselineFanOutBench bench = new BaselineFanOutBench();

    @Test
    void virtualThreadJoin_hundredBranches_joinsEveryOutput() throws InterruptedException {
        bench.width = 100;
        bench.setUp();

        assertThat(bench.virtualThreadJoin()).isEqualTo(100);
    }

    @Test
    void coordinatorBarrier_thousandBranches_mergesEveryOutput() throws InterruptedException {
        bench.width = 1000;
        bench.setUp();

        assertThat(bench.coordinatorBarrier()).isEqualTo(1000);
    }
}
