package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.benchmarks.CpuTime;
import dev.orchestra4j.benchmarks.Workloads;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.Topology;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The pipeline workload through {@code Orchestra.run} from the benchmark's platform thread: trace and timeouts on
 * (defaults), no state manager. One operation is a whole run, session creation included; the calling thread drives the
 * session itself. The 10-step run is issue #11's "whole run from a platform thread"; for the per-step cost use {@link
 * Orchestra4jCycleBench}, whose runs of every length have the same two nodes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Orchestra4jPipelineBench {

    @Param({Workloads.SHORT_PIPELINE, Workloads.LONG_PIPELINE})
    int steps;

    private Topology topology;
    private RunOptions options;

    @Setup
    public void setUp() {
        topology = Flows.pipeline(steps);
        options = RunOptions.builder()
                .agents(Flows.pipelineAgents(steps))
                .maxSteps(steps + 1)
                .build();
        Flows.check("orchestra4jPipeline", once(), steps);
    }

    @Benchmark
    public OrchestraResult run(CpuTime cpu) {
        cpu.ops++;
        return once();
    }

    /** One run, outside JMH (setup checks, tests). */
    OrchestraResult once() {
        return Orchestra.run(Workloads.INPUT, topology, options);
    }
}
