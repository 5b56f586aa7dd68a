package dev.orchestra4j.benchmarks.langgraph4j;

import dev.orchestra4j.benchmarks.Workloads;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.state.AgentState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fan-out/fan-in workload as a LangGraph4j parallel node. LangGraph4j runs parallel branches one after
 * another on the caller thread unless an executor is registered for the fork node, so this registers a
 * virtual-thread-per-task executor, the configuration that actually runs branches concurrently.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LangGraphFanOutBench {

    @Param({Workloads.NARROW_FAN_OUT, Workloads.WIDE_FAN_OUT})
    int width;

    @Param
    StateCloning cloning;

    private final ExecutorService branches = Executors.newVirtualThreadPerTaskExecutor();
    private final RunnableConfig config = RunnableConfig.builder()
            .addParallelNodeExecutor(Graphs.FORK, branches)
            .build();
    private CompiledGraph<AgentState> graph;

    @Setup
    public void setUp() throws GraphStateException {
        graph = Graphs.fanOut(width, cloning);
        Map<String, Object> joined = invoke().orElseThrow().data();
        int merged = 0;
        for (int i = 0; i < width; i++) {
            merged += joined.containsKey(Workloads.branchKey(i)) ? 1 : 0;
        }
        Workloads.requireAll("langGraphFanOut", width, merged);
    }

    @TearDown
    public void tearDown() {
        branches.close();
    }

    @Benchmark
    public Optional<AgentState> invoke() {
        return graph.invoke(Workloads.INPUT, config);
    }
}
