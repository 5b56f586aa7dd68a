package dev.orchestra4j.flow.internal;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.orchestra4j.flow.ConditionalStep;
import dev.orchestra4j.flow.LoopStep;
import dev.orchestra4j.flow.ParallelStep;
import dev.orchestra4j.flow.ProcessingStep;
import dev.orchestra4j.flow.TaskStep;
import dev.orchestra4j.flow.WorkflowStep;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CEL conditions over the workflow context, type-checked at load: every field of a step in scope is a variable
 * ({@code steps.classify.result} is a string, {@code steps.refine.iteration} an int, …), so {@code
 * steps.x.result > 3} is rejected before anything runs. Never eval.
 */
public final class Conditions {

    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private static final MapType ANY_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private Conditions() {}

    /** A compiled condition. */
    public record Condition(String source, CelRuntime.Program program) {

        /** Evaluates over the context tree; a runtime error fails (never false). */
        public boolean test(Map<String, Object> context) throws CelEvaluationException {
            Object result = program.eval(activation(context));
            return Boolean.TRUE.equals(result);
        }
    }

    /**
     * Compiles {@code source} with the steps in scope declared.
     *
     * @throws IllegalArgumentException with CEL's message (position and reason) when it does not type-check
     */
    public static Condition compile(String source, List<WorkflowStep> scope) {
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
                .addVar("input", ANY_MAP)
                .addVar("workflow", ANY_MAP)
                .setResultType(SimpleType.BOOL);
        for (WorkflowStep step : scope) {
            fields(step).forEach((field, type) -> builder.addVar("steps." + step.id() + "." + field, type));
        }
        CelCompiler compiler = builder.build();
        try {
            CelAbstractSyntaxTree ast = compiler.compile(source).getAst();
            return new Condition(source, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (dev.cel.common.CelException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Map<String, CelType> fields(WorkflowStep step) {
        Map<String, CelType> out = new LinkedHashMap<>();
        out.put("success", SimpleType.BOOL);
        out.put("error", SimpleType.STRING);
        out.put("output", SimpleType.DYN);
        switch (step) {
            case TaskStep t -> out.put("result", SimpleType.STRING);
            case ProcessingStep p -> out.put("result", SimpleType.DYN);
            case ConditionalStep c -> {
                out.put("condition_result", SimpleType.BOOL);
                out.put("branch", SimpleType.STRING);
                out.put("result", SimpleType.DYN);
            }
            case ParallelStep p -> {
                out.put("results", ListType.create(ANY_MAP));
                out.put("result", SimpleType.DYN);
            }
            case LoopStep l -> {
                out.put("iteration", SimpleType.INT);
                out.put("max_iterations", SimpleType.INT);
                out.put("total_iterations", SimpleType.INT);
                out.put("iterations", ListType.create(ANY_MAP));
                out.put("last", ANY_MAP);
                out.put("result", SimpleType.DYN);
            }
        }
        return out;
    }

    /** The context tree flattened to CEL variables ({@code steps.<id>.<field>}), integers as longs. */
    static Map<String, Object> activation(Map<String, Object> context) {
        Map<String, Object> out = new HashMap<>();
        out.put("input", cel(context.getOrDefault("input", Map.of())));
        out.put("workflow", cel(context.getOrDefault("workflow", Map.of())));
        if (context.get("steps") instanceof Map<?, ?> steps) {
            steps.forEach((id, entry) -> {
                if (entry instanceof Map<?, ?> fields) {
                    fields.forEach((field, value) -> {
                        if (value != null) {
                            out.put("steps." + id + "." + field, cel(value));
                        }
                    });
                }
            });
        }
        return out;
    }

    private static Object cel(Object value) {
        return switch (value) {
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Float f -> (double) f;
            case Map<?, ?> m -> {
                Map<Object, Object> out = new HashMap<>();
                m.forEach((k, v) -> {
                    if (v != null) {
                        out.put(k, cel(v));
                    }
                });
                yield out;
            }
            case List<?> l ->
                l.stream()
                        .filter(java.util.Objects::nonNull)
                        .map(Conditions::cel)
                        .toList();
            default -> value;
        };
    }
}
