package dev.orchestra4j.examples.flow;

import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.PipelineResult;
import dev.orchestra4j.flow.Step;

/**
 * The Symphony pipeline's quick start, typed: {@code add_one} then {@code double}. The contracts are records, checked
 * before and after each handler; {@code {value: 3}} becomes {@code {value: 8}}.
 *
 * <pre>{@code
 * Start -> add_one -> double -> End
 * }</pre>
 */
public final class QuickStart {

    /** A number in and out. */
    public record Value(int value) {}

    private QuickStart() {}

    public static Step<Value, Value> addOne() {
        return Step.of("add_one", Value.class, Value.class, (in, perf) -> new Value(in.value() + 1));
    }

    public static Step<Value, Value> doubler() {
        return Step.of("double", Value.class, Value.class, (in, perf) -> new Value(in.value() * 2));
    }

    public static Pipeline pipeline() {
        return Pipeline.builder("math")
                .description("Add one, then double")
                .pipe(addOne())
                .pipe(doubler())
                .seal();
    }

    /** Runs the pipeline on {@code input}: a {@link Value} or a map such as {@code {"value": 3}}. */
    public static PipelineResult<Value> run(Object input) {
        return pipeline().perform(input);
    }

    public static void main(String[] args) {
        PipelineResult<Value> result = run(new Value(3));
        System.out.println(result.output());
        result.performance()
                .history()
                .forEach(e -> System.out.println(
                        "  " + e.stepNumber() + ". " + e.stepId() + ": " + e.input() + " -> " + e.output()));
        System.out.println(pipeline().score().topology().toMermaid());
    }
}
