package dev.orchestra4j.benchmarks.agentic;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.agentic.scope.AgenticScope;
import dev.orchestra4j.benchmarks.Workloads;
import java.util.concurrent.Executor;

/** Builds the shared workloads as LangChain4j-agentic workflows of plain-Java agents. */
final class Workflows {

    private Workflows() {}

    /** A sequence of {@code steps} agents; agent {@code i} writes {@link Workloads#stepOutput(int)}. */
    static UntypedAgent pipeline(int steps) {
        Object[] agents = new Object[steps];
        for (int i = 0; i < steps; i++) {
            int step = i;
            agents[i] = AgenticServices.agentAction(scope -> scope.writeStates(Workloads.stepOutput(step)));
        }
        return AgenticServices.sequenceBuilder().subAgents(agents).build();
    }

    /**
     * The two-node cycle: a loop agent over two agents, {@code steps / 2} iterations, so {@code steps} agent calls;
     * agent calls write {@link Workloads#stepOutput(int)} (0 and 1).
     */
    static UntypedAgent cycle(int steps) {
        Object ping = AgenticServices.agentAction(scope -> scope.writeStates(Workloads.stepOutput(0)));
        Object pong = AgenticServices.agentAction(scope -> scope.writeStates(Workloads.stepOutput(1)));
        return AgenticServices.loopBuilder()
                .subAgents(ping, pong)
                .maxIterations(steps / 2)
                .build();
    }

    /** A parallel agent of {@code width} branches on {@code executor}; branch {@code i} writes its output. */
    static UntypedAgent fanOut(int width, Executor executor) {
        Object[] branches = new Object[width];
        for (int i = 0; i < width; i++) {
            int branch = i;
            branches[i] = AgenticServices.agentAction(scope -> scope.writeStates(Workloads.branchOutput(branch)));
        }
        return AgenticServices.parallelBuilder()
                .subAgents(branches)
                .executor(executor)
                .build();
    }

    /** Runs {@code workflow} once and returns the scope it left behind, for the setup self-checks. */
    static AgenticScope runOnce(UntypedAgent workflow) {
        return workflow.invokeWithAgenticScope(Workloads.INPUT).agenticScope();
    }
}
