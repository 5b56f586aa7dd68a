package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Evaluates a CEL {@code condition} over the context (type-checked when the definition loads) and runs {@code then}
 * or {@code otherwise}; with no else and a false condition the workflow passes on. Its entry: {@code
 * steps.<id>.{condition_result, branch}} with branch {@code then}, {@code else} or {@code none}. A condition that
 * fails at run time fails the step; it never silently takes the else branch.
 *
 * @param id the step id
 * @param name the display name
 * @param condition the CEL expression (a bool)
 * @param then the step run when it holds
 * @param otherwise the step run when it does not
 * @param onError what a failure does
 */
public record ConditionalStep(
        String id, String name, String condition, WorkflowStep then, Optional<WorkflowStep> otherwise, OnError onError)
        implements WorkflowStep {

    public ConditionalStep {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(condition, "condition");
        requireNonNull(then, "then");
        requireNonNull(otherwise, "otherwise");
        requireNonNull(onError, "onError");
    }

    public static ConditionalStep of(String id, String condition, WorkflowStep then) {
        return new ConditionalStep(id, id, condition, then, Optional.empty(), OnError.FAIL);
    }

    public static ConditionalStep of(String id, String condition, WorkflowStep then, WorkflowStep otherwise) {
        return new ConditionalStep(id, id, condition, then, Optional.of(otherwise), OnError.FAIL);
    }

    public ConditionalStep named(String value) {
        return new ConditionalStep(id, value, condition, then, otherwise, onError);
    }

    @Override
    public String type() {
        return "conditional";
    }

    @Override
    public List<WorkflowStep> children() {
        return otherwise.map(o -> List.of(then, o)).orElse(List.of(then));
    }
}
