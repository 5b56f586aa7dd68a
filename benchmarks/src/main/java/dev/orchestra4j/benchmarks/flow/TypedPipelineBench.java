package dev.orchestra4j.benchmarks.flow;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.flow.CompiledFlow;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.PipelineResult;
import dev.orchestra4j.flow.Step;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A 10-step typed {@link Pipeline} (each step {@code Num -> Num}, adding one, contracts checked) against the same
 * ten steps as hand-written plain agents on a hand-written topology. Both run through {@code Orchestra.run} from a
 * map input with trace and timeouts on; {@code perform} adds building the {@code PipelineResult} (the Performance
 * history from the trace and the output conversion).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TypedPipelineBench {

    static final int STEPS = 10;
    static final Map<String, Object> INPUT = Map.of("value", 0);

    /** The data every step takes and gives. */
    public record Num(int value) {}

    private Pipeline pipeline;
    private CompiledFlow compiled;
    private RunOptions compiledOptions;
    private Topology plainTopology;
    private RunOptions plainOptions;

    @Setup
    public void setUp() {
        Pipeline.Builder b = Pipeline.builder("bench");
        for (int i = 0; i < STEPS; i++) {
            b.pipe(Step.of("s" + i, Num.class, Num.class, (in, perf) -> new Num(in.value() + 1)));
        }
        pipeline = b.seal();
        compiled = pipeline.compile();
        compiledOptions = compiled.options();
        plainTopology = plainTopology();
        plainOptions = RunOptions.builder().agents(agents()).maxSteps(STEPS + 1).build();
        check("typedPipeline", typedPipeline().finalResponse());
        check("plainAgents", plainAgents(plainTopology, plainOptions).finalResponse());
        check("perform", perform().output());
    }

    private static void check(String benchmark, Object output) {
        if (!new Num(STEPS).equals(output)) {
            throw new IllegalStateException(
                    "'" + benchmark + "' gave " + output + ", expected Num[value=" + STEPS + "]");
        }
    }

    private static Topology plainTopology() {
        Topology.Builder b = Topology.builder().edge("Start -> s0");
        for (int i = 0; i < STEPS - 1; i++) {
            b.edge("s" + i + " -> s" + (i + 1));
        }
        return b.edge("s" + (STEPS - 1) + " -> End").build();
    }

    private static AgentRegistry agents() {
        AgentRegistry agents = AgentRegistry.create();
        for (int i = 0; i < STEPS; i++) {
            String next = i == STEPS - 1 ? "End" : "s" + (i + 1);
            agents.register("s" + i, r -> {
                Num in = r.input() instanceof Num n
                        ? n
                        : new Num(((Number) ((Map<?, ?>) r.input()).get("value")).intValue());
                return AgentResponse.invoke(next, new Num(in.value() + 1));
            });
        }
        return agents;
    }

    /** The same ten steps as plain agents. */
    @Benchmark
    public OrchestraResult plainAgents() {
        return plainAgents(plainTopology, plainOptions);
    }

    private static OrchestraResult plainAgents(Topology topology, RunOptions options) {
        return Orchestra.run(INPUT, topology, options);
    }

    /** The compiled typed pipeline through {@code Orchestra.run}. */
    @Benchmark
    public OrchestraResult typedPipeline() {
        return Orchestra.run(INPUT, compiled.topology(), compiledOptions);
    }

    /** {@code pipeline.perform(input)}: the run plus the PipelineResult with its Performance history. */
    @Benchmark
    public PipelineResult<Num> perform() {
        return pipeline.perform(INPUT);
    }

    /**
     * An A/B run that alternates the two variants in rounds and compares medians, so that load from other processes
     * on a shared machine hits both alike: {@code java -cp benchmarks.jar
     * dev.orchestra4j.benchmarks.flow.TypedPipelineBench [rounds] [runsPerRound]}.
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        TypedPipelineBench bench = new TypedPipelineBench();
        bench.setUp();
        for (int i = 0; i < 20_000; i++) {
            bench.plainAgents();
            bench.typedPipeline();
            bench.perform();
        }
        double[][] micros = new double[3][rounds];
        for (int round = 0; round < rounds; round++) {
            micros[0][round] = time(runs, bench::plainAgents);
            micros[1][round] = time(runs, bench::typedPipeline);
            micros[2][round] = time(runs, bench::perform);
        }
        double plain = median(micros[0]);
        double typed = median(micros[1]);
        double perform = median(micros[2]);
        System.out.printf(
                "10 steps, median of %d rounds x %d runs: plainAgents %.1f us, typedPipeline %.1f us (%.2fx),"
                        + " perform %.1f us (%.2fx)%n",
                rounds, runs, plain, typed, typed / plain, perform, perform / plain);
    }

    private static double time(int runs, Runnable run) {
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            run.run();
        }
        return (System.nanoTime() - t0) / 1_000.0 / runs;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
