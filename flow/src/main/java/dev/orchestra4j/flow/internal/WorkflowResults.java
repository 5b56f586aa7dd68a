package dev.orchestra4j.flow.internal;

import dev.orchestra4j.flow.ConditionalStep;
import dev.orchestra4j.flow.ParallelStep;
import dev.orchestra4j.flow.WorkflowStep;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads results out of a workflow context tree. */
public final class WorkflowResults {

    private WorkflowResults() {}

    /** A step's result: its own, the taken branch's (conditional), the children's (parallel). */
    public static @Nullable Object resultOf(WorkflowStep step, Map<String, Object> steps) {
        Map<?, ?> entry = steps.get(step.id()) instanceof Map<?, ?> m ? m : Map.of();
        if (entry.get("result") != null) {
            return entry.get("result");
        }
        return switch (step) {
            case ConditionalStep c ->
                switch (String.valueOf(entry.get("branch"))) {
                    case "then" -> resultOf(c.then(), steps);
                    case "else" -> c.otherwise().map(o -> resultOf(o, steps)).orElse(null);
                    default -> null;
                };
            case ParallelStep p ->
                entry.get("results") instanceof List<?> l
                        ? l.stream()
                                .map(r -> r instanceof Map<?, ?> m ? m.get("result") : null)
                                .toList()
                        : null;
            default -> null;
        };
    }
}
