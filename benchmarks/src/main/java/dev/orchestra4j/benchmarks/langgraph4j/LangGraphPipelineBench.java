package dev.orchestra4j.benchmarks.langgraph4j;

import dev.orchestra4j.benchmarks.Workloads;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.NodeOutput;
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

/** The pipeline workload as a line of LangGraph4j nodes, invoked synchronously on the caller thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LangGraphPipelineBench {

    @Param({Workloads.SHORT_PIPELINE, Workloads.LONG_PIPELINE})
    int steps;

    @Param
    StateCloning cloning;

    private CompiledGraph<AgentState> graph;
    private final RunnableConfig config = RunnableConfig.builder().build();

    @Setup
    public void setUp() throws GraphStateException {
        graph = Graphs.pipeline(steps, cloning);
        int ran = 0;
        for (NodeOutput<AgentState> output : graph.stream(Workloads.INPUT, config)) {
            ran += output.node().startsWith("s") ? 1 : 0;
        }
        Workloads.requireAll("langGraphPipeline", steps, ran);
    }

    @Benchmark
    public Optional<AgentState> invoke() {
        return graph.invoke(Workloads.INPUT, config);
    }
}
