package dev.orchestra4j.benchmarks.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class SessionsFloorBenchTest {

    private final SessionsFloorBench bench = new SessionsFloorBench();

    @Test
    void session_eightKilobytes_holdsThatManyCellsToItsEnd() {
        bench.liveBytes = 8192;
        bench.stepMillis = 0;

        assertThat(bench.session()).isEqualTo(8192 / SessionsFloorBench.CELL_BYTES);
    }

    @Test
    void virtualThreadsHolding_withoutSleeps_completesEverySession() throws InterruptedException {
        bench.liveBytes = 4096;
        bench.stepMillis = 0;

        assertThat(bench.virtualThreadsHolding()).isEqualTo(SessionsFloorBench.SESSIONS);
    }
}
