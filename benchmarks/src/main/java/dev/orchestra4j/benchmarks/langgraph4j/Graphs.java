package dev.orchestra4j.benchmarks.langgraph4j;

import static org.bsc.langgraph4j.GraphDefinition.END;
import static org.bsc.langgraph4j.GraphDefinition.START;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

import dev.orchestra4j.benchmarks.Workloads;
import java.util.Map;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.state.AgentState;

/** Builds the shared workloads as LangGraph4j graphs. */
final class Graphs {

    /** The node whose outgoing edges form the parallel fan-out; executors are registered under this id. */
    static final String FORK = "fork";

    private static final String JOIN = "join";

    /** LangGraph4j stops after 25 supersteps by default; the long pipeline needs more. */
    private static final CompileConfig CONFIG =
            CompileConfig.builder().recursionLimit(10_000).build();

    private Graphs() {}

    /** {@code START -> s0 -> s1 -> ... -> END}; node {@code s<i>} returns {@link Workloads#stepOutput(int)}. */
    static CompiledGraph<AgentState> pipeline(int steps, StateCloning cloning) throws GraphStateException {
        StateGraph<AgentState> graph = cloning.newGraph();
        String previous = START;
        for (int i = 0; i < steps; i++) {
            int step = i;
            String node = "s" + i;
            graph.addNode(node, node_async(state -> Workloads.stepOutput(step)));
            graph.addEdge(previous, node);
            previous = node;
        }
        return graph.addEdge(previous, END).compile(CONFIG);
    }

    /** {@code START -> fork -> p<i> (each) -> join -> END}; branch {@code p<i>} returns its output. */
    static CompiledGraph<AgentState> fanOut(int width, StateCloning cloning) throws GraphStateException {
        StateGraph<AgentState> graph = cloning.newGraph();
        graph.addNode(FORK, node_async(state -> Map.of()));
        graph.addNode(JOIN, node_async(state -> Map.of()));
        graph.addEdge(START, FORK);
        for (int i = 0; i < width; i++) {
            int branch = i;
            String node = Workloads.branchKey(i);
            graph.addNode(node, node_async(state -> Workloads.branchOutput(branch)));
            graph.addEdge(FORK, node);
            graph.addEdge(node, JOIN);
        }
        return graph.addEdge(JOIN, END).compile(CONFIG);
    }
}
