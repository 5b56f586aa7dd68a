package dev.orchestra4j.benchmarks.agentic;

import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.agentic.scope.AgenticScope;
import dev.orchestra4j.benchmarks.Workloads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * The fan-out/fan-in workload as a LangChain4j-agentic parallel agent, with its branches on virtual threads
 * (what its default executor does on Java 21+, made explicit here) and, for contrast, run one after another
 * on the caller thread ({@code Runnable::run}), which shows its overhead without any thread hand-off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AgenticFanOutBench {

    @Param({Workloads.NARROW_FAN_OUT, Workloads.WIDE_FAN_OUT})
    int width;

    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private UntypedAgent onVirtualThreads;
    private UntypedAgent onCaller;

    @Setup
    public void setUp() {
        onVirtualThreads = Workflows.fanOut(width, virtualThreads);
        onCaller = Workflows.fanOut(width, Runnable::run);
        requireAllBranches("virtualThreads", onVirtualThreads);
        requireAllBranches("callerThread", onCaller);
    }

    @TearDown
    public void tearDown() {
        virtualThreads.close();
    }

    @Benchmark
    public Object virtualThreads() {
        return onVirtualThreads.invoke(Workloads.INPUT);
    }

    @Benchmark
    public Object callerThread() {
        return onCaller.invoke(Workloads.INPUT);
    }

    private void requireAllBranches(String benchmark, UntypedAgent workflow) {
        AgenticScope scope = Workflows.runOnce(workflow);
        int merged = 0;
        for (int i = 0; i < width; i++) {
            merged += scope.hasState(Workloads.branchKey(i)) ? 1 : 0;
        }
        Workloads.requireAll(benchmark, width, merged);
    }
}
