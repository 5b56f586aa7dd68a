package dev.orchestra4j.examples.flow;

import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.PipelineResult;
import dev.orchestra4j.flow.Route;
import dev.orchestra4j.flow.Step;
import java.util.Map;

/**
 * A typed pipeline with every block: add five, an ensemble that computes a sum and a product at once, pick the larger
 * one, a fork (large values are halved, small ones squared) and a cycle that doubles while below 100.
 *
 * <pre>{@code
 * add_five -> ensemble#2 {plus_ten, times_three} -> larger -> fork#4 {halve | square} -> cycle#5 {double}
 * }</pre>
 */
public final class TypedPipeline {

    /** A number in and out. */
    public record Value(int value) {}

    private TypedPipeline() {}

    static Step<Value, Value> step(String id, java.util.function.IntUnaryOperator f) {
        return Step.of(id, Value.class, Value.class, (in, perf) -> new Value(f.applyAsInt(in.value())));
    }

    /** Picks the larger of the ensemble's two results. */
    static Step<Map<String, Object>, Value> larger() {
        return Step.builder(
                        "larger",
                        mapType(),
                        Value.class,
                        (Map<String, Object> in, dev.orchestra4j.flow.Performance perf) -> {
                            int sum = value(in.get("plus_ten"));
                            int product = value(in.get("times_three"));
                            return new Value(Math.max(sum, product));
                        })
                .build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<Map<String, Object>> mapType() {
        return (Class) Map.class;
    }

    private static int value(Object member) {
        return member instanceof Value v ? v.value() : ((Number) ((Map<?, ?>) member).get("value")).intValue();
    }

    public static Pipeline pipeline() {
        return Pipeline.builder("typed")
                .description("Every block of a pipeline")
                .pipe(step("add_five", v -> v + 5))
                .ensemble(step("plus_ten", v -> v + 10), step("times_three", v -> v * 3))
                .pipe(larger())
                .fork(
                        Route.when((Value d) -> d.value() > 40, step("halve", v -> v / 2)),
                        Route.when((Value d) -> d.value() <= 40, step("square", v -> v * v)))
                .cycle((Value d) -> d.value() < 100, step("double", v -> v * 2))
                .maxCycles(20)
                .seal();
    }

    public static PipelineResult<Value> run(int input) {
        return pipeline().perform(new Value(input));
    }

    public static void main(String[] args) {
        PipelineResult<Value> result = run(args.length > 0 ? Integer.parseInt(args[0]) : 1);
        System.out.println(
                result.output() + " after " + result.performance().history().size() + " step runs");
        System.out.println(pipeline().score().topology().toMermaid());
    }
}
