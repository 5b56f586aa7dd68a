package dev.orchestra4j.benchmarks.baseline;

import dev.orchestra4j.benchmarks.Workloads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The pipeline workload without an engine: a direct loop over the agents (the floor), and the engine's
 * hand-off pattern (a coordinator virtual thread starts each agent on a new virtual thread and takes its
 * output from a queue).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BaselinePipelineBench {

    @Param({Workloads.SHORT_PIPELINE, Workloads.LONG_PIPELINE})
    int steps;

    private List<UnaryOperator<Map<String, Object>>> agents;
    private Object[] trace;

    @Setup
    public void setUp() throws InterruptedException {
        agents = newAgents(steps);
        trace = new Object[steps];
        directLoop();
        Workloads.requireAll("directLoop", steps, (int)
                Arrays.stream(trace).filter(Objects::nonNull).count());
        Workloads.requireAll("coordinatorHandOff", steps, coordinatorHandOff());
    }

    /** Calls each agent in turn on the caller thread; outputs go to a trace so none is optimised away. */
    @Benchmark
    public Object directLoop() {
        Map<String, Object> state = Workloads.INPUT;
        for (int i = 0; i < trace.length; i++) {
            state = agents.get(i).apply(state);
            trace[i] = state;
        }
        return state;
    }

    /** Coordinator on a virtual thread; each step on its own virtual thread, handed back through a queue. */
    @Benchmark
    public int coordinatorHandOff() throws InterruptedException {
        return Coordinator.callOnVirtualThread(this::coordinate);
    }

    private int coordinate() throws InterruptedException {
        BlockingQueue<Map<String, Object>> outcomes = new LinkedBlockingQueue<>();
        Map<String, Object> state = Workloads.INPUT;
        int ran = 0;
        for (UnaryOperator<Map<String, Object>> agent : agents) {
            Map<String, Object> input = state;
            Thread.startVirtualThread(() -> outcomes.add(agent.apply(input)));
            state = outcomes.take();
            ran++;
        }
        return ran;
    }

    private static List<UnaryOperator<Map<String, Object>>> newAgents(int count) {
        List<UnaryOperator<Map<String, Object>>> agents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int step = i;
            agents.add(input -> Workloads.stepOutput(step));
        }
        return List.copyOf(agents);
    }
}
