package dev.orchestra4j.benchmarks.baseline;

import dev.orchestra4j.benchmarks.Workloads;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
 * The fan-out/fan-in workload without an engine: start one virtual thread per branch and join them all
 * (the raw anchor), and the engine's pattern, where a coordinator virtual thread forks the branches, takes
 * their outcomes from a queue and merges them at the barrier.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BaselineFanOutBench {

    @Param({Workloads.NARROW_FAN_OUT, Workloads.WIDE_FAN_OUT, Workloads.HUGE_FAN_OUT})
    int width;

    @Setup
    public void setUp() throws InterruptedException {
        Workloads.requireAll("virtualThreadJoin", width, virtualThreadJoin());
        Workloads.requireAll("coordinatorBarrier", width, coordinatorBarrier());
    }

    /** Caller starts one virtual thread per branch, joins each, and counts the outputs. */
    @Benchmark
    public int virtualThreadJoin() throws InterruptedException {
        Object[] outputs = new Object[width];
        Thread[] branches = new Thread[width];
        for (int i = 0; i < width; i++) {
            int branch = i;
            branches[i] = Thread.startVirtualThread(() -> outputs[branch] = Workloads.branchOutput(branch));
        }
        int done = 0;
        for (int i = 0; i < width; i++) {
            branches[i].join();
            done += outputs[i] == null ? 0 : 1;
        }
        return done;
    }

    /** Coordinator virtual thread forks the branches, takes each outcome from a queue, merges them all. */
    @Benchmark
    public int coordinatorBarrier() throws InterruptedException {
        return Coordinator.callOnVirtualThread(this::forkAndMerge);
    }

    private int forkAndMerge() throws InterruptedException {
        BlockingQueue<Map<String, Object>> outcomes = new LinkedBlockingQueue<>();
        for (int i = 0; i < width; i++) {
            int branch = i;
            Thread.startVirtualThread(() -> outcomes.add(Workloads.branchOutput(branch)));
        }
        Map<String, Object> merged = new HashMap<>();
        for (int i = 0; i < width; i++) {
            merged.putAll(outcomes.take());
        }
        return merged.size();
    }
}
