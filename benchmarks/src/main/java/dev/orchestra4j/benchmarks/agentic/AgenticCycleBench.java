package dev.orchestra4j.benchmarks.agentic;

import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.agentic.scope.AgenticScope;
import dev.orchestra4j.benchmarks.CpuTime;
import dev.orchestra4j.benchmarks.Workloads;
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
 * The two-node cycle as a LangChain4j-agentic loop of two plain-Java agents ({@code loopBuilder}, {@code steps / 2}
 * iterations): the same number of agent calls over the same two nodes at every length, so {@code (T100 - T10) / 90}
 * is its per-step cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AgenticCycleBench {

    @Param({Workloads.SHORT_PIPELINE, Workloads.LONG_PIPELINE})
    int steps;

    private UntypedAgent loop;

    @Setup
    public void setUp() {
        loop = Workflows.cycle(steps);
        AgenticScope scope = Workflows.runOnce(loop);
        Workloads.requireAll("agenticCycle", steps, scope.agentInvocations().size());
    }

    @Benchmark
    public Object invoke(CpuTime cpu) {
        cpu.ops++;
        return loop.invoke(Workloads.INPUT);
    }
}
