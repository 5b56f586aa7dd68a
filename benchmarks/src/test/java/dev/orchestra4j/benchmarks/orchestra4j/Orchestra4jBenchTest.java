package dev.orchestra4j.benchmarks.orchestra4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.orchestra4j.core.OrchestraResult;
import org.junit.jupiter.api.Test;

/** Every Orchestra4j workload runs once and does what its benchmark claims to measure. */
final class Orchestra4jBenchTest {

    @Test
    void cycle_hundredSteps_twoNodesTakeTurns() {
        Orchestra4jCycleBench bench = new Orchestra4jCycleBench();
        bench.steps = 100;
        bench.setUp();

        OrchestraResult result = bench.once();

        assertThat(result.totalSteps()).isEqualTo(100);
        assertThat(result.executionTrace()).extracting(s -> s.agent()).containsOnly("Ping", "Pong");
    }

    @Test
    void cpuTime_countsOperationsAndTheThreadsCpu() {
        Orchestra4jCycleBench bench = new Orchestra4jCycleBench();
        bench.steps = 100;
        bench.setUp();
        dev.orchestra4j.benchmarks.CpuTime cpu = new dev.orchestra4j.benchmarks.CpuTime();
        cpu.start();

        bench.run(cpu);
        bench.run(cpu);

        assertThat(cpu.ops).isEqualTo(2);
        assertThat(cpu.cpuNanos()).isPositive();
    }

    @Test
    void pipelineAndFanOut_passTheirSelfChecks() {
        Orchestra4jPipelineBench pipeline = new Orchestra4jPipelineBench();
        pipeline.steps = 10;
        Orchestra4jFanOutBench fanOut = new Orchestra4jFanOutBench();
        fanOut.width = 1000;

        assertThatNoException().isThrownBy(pipeline::setUp);
        assertThatNoException().isThrownBy(fanOut::setUp);
    }

    @Test
    void checkpoint_everyBackend_passesItsSelfCheck() {
        for (String backend : new String[] {"none", "memory", "file", "file-nofsync"}) {
            CheckpointBench bench = new CheckpointBench();
            bench.backend = backend;

            assertThatNoException().as(backend).isThrownBy(bench::setUp);
            assertThatNoException().as(backend).isThrownBy(bench::removeStorage);
        }
    }

    @Test
    void checkpoint_replacesItsStoreEveryFewHundredRuns_andDeletesTheFilesAtTheEnd() throws Exception {
        CheckpointBench bench = new CheckpointBench();
        bench.backend = "file-nofsync";
        bench.setUp();
        java.nio.file.Path first = bench.storeDirectories().getLast();
        for (int i = 0; i < CheckpointBench.RUNS_PER_STORE; i++) {
            bench.roomInStorage();
        }
        assertThat(bench.storeDirectories().getLast())
                .as("a store takes RUNS_PER_STORE runs")
                .isEqualTo(first);

        bench.roomInStorage();
        java.nio.file.Path second = bench.storeDirectories().getLast();
        assertThat(second).isNotEqualTo(first);
        assertThat(bench.once().success()).as("a run on the new store").isTrue();

        bench.removeStorage();
        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
    }

    @Test
    void storageCost_fileBackend_countsOneFsyncPerAppendAndFlatBytes() throws Exception {
        StorageCostBench.Written ten = storageCost("file", 10);
        StorageCostBench.Written hundred = storageCost("file", 100);

        assertThat(ten.steps).isEqualTo(10);
        assertThat(ten.appends).isPositive();
        assertThat(ten.fsyncs).as("every journal append is forced, at least").isGreaterThanOrEqualTo(ten.appends);
        assertThat((double) hundred.bytes / hundred.steps)
                .as("bytes per step do not grow with the run")
                .isLessThan(1.5 * ten.bytes / ten.steps);
    }

    private static StorageCostBench.Written storageCost(String backend, int steps) throws Exception {
        StorageCostBench bench = new StorageCostBench();
        bench.backend = backend;
        bench.steps = steps;
        StorageCostBench.Written written = new StorageCostBench.Written();
        bench.setUp();
        try {
            bench.run(written);
        } finally {
            bench.tearDown();
        }
        return written;
    }

    @Test
    void sessions_smallScale_everyVariantCompletesAndNothingIsKept() throws Exception {
        SessionsBench bench = new SessionsBench();
        bench.sessions = 50;
        bench.steps = 2;
        bench.setUp();

        assertThat(bench.virtualThreads()).isEqualTo(50);
        assertThat(bench.orchestra4jPerThread()).isEqualTo(50);
        assertThat(bench.orchestra4jStart()).isEqualTo(50);
        assertThatNoException().isThrownBy(bench::nothingKept);
    }

    @Test
    void sessionHeap_finishedSessions_areNotKept() throws Exception {
        SessionHeapBench bench = new SessionHeapBench();
        bench.kind = "finished";
        bench.sessions = 100;
        SessionHeapBench.Held held = new SessionHeapBench.Held();
        bench.setUp();

        bench.run(held);

        assertThat(held.sessions).isEqualTo(100);
        assertThat(held.kept).isZero();
    }

    @Test
    void sessionHeap_suspendedSessions_areKept() throws Exception {
        SessionHeapBench bench = new SessionHeapBench();
        bench.kind = "suspended";
        bench.sessions = 100;
        SessionHeapBench.Held held = new SessionHeapBench.Held();
        bench.setUp();

        bench.run(held);

        assertThat(held.kept).isEqualTo(101); // and the warm-up session
    }
}
