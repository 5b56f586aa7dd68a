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

/** The pipeline workload as a LangChain4j-agentic sequence; agents run one by one on the caller thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AgenticPipelineBench {

    @Param({Workloads.SHORT_PIPELINE, Workloads.LONG_PIPELINE})
    int steps;

    private UntypedAgent sequence;

    @Setup
    public void setUp() {
        sequence = Workflows.pipeline(steps);
        AgenticScope scope = Workflows.runOnce(sequence);
        Workloads.requireAll("agenticPipeline", steps, scope.agentInvocations().size());
        Workloads.requireAll(
                "agenticPipeline (last step's output)", steps - 1, (Integer) scope.readState(Workloads.STEP_KEY));
    }

    @Benchmark
    public Object invoke(CpuTime cpu) {
        cpu.ops++;
        return sequence.invoke(Workloads.INPUT);
    }
}
