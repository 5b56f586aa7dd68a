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
 * Per-step cost without per-node setup (review §6): two agents ({@code Ping <-> Pong}) take turns for {@code steps}
 * steps through {@code Orchestra.run}, so runs of 10 and 100 steps have the same two nodes and {@code (T100 - T10) /
 * 90} is what one more step costs. Trace and timeouts on (defaults), no state manager.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Orchestra4jCycleBench {

    @Param({Workloads.SHORT_PIPELINE, Workloads.LONG_PIPELINE})
    int steps;

    private Topology topology;
    private RunOptions options;

    @Setup
    public void setUp() {
        topology = Flows.cycle();
        options = RunOptions.builder()
                .agents(Flows.cycleAgents(steps))
                .maxSteps(steps + 1)
                .build();
        Flows.check("orchestra4jCycle", once(), steps);
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
