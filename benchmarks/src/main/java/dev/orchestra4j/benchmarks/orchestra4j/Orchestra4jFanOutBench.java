package dev.orchestra4j.benchmarks.orchestra4j;

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
 * The fan-out/fan-in workload through {@code Orchestra.run}: one hub step forks {@code width} workers (each on its
 * own virtual thread), the fork barrier joins them, the hub finishes. One operation is a whole run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Orchestra4jFanOutBench {

    @Param({Workloads.NARROW_FAN_OUT, Workloads.WIDE_FAN_OUT, Workloads.HUGE_FAN_OUT})
    int width;

    private Topology topology;
    private RunOptions options;

    @Setup
    public void setUp() {
        topology = Flows.fanOut();
        options = RunOptions.builder()
                .agents(Flows.fanOutAgents(width))
                .maxSteps(width + 3)
                .build();
        OrchestraResult result = run();
        Flows.check("orchestra4jFanOut", result, width + 2);
        Workloads.requireAll("orchestra4jFanOut (joined)", width, (Integer) result.finalResponse());
    }

    @Benchmark
    public OrchestraResult run() {
        return Orchestra.run(Workloads.INPUT, topology, options);
    }
}
