package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Runs {@code step} at least once (do-while), then again until the CEL {@code exitWhen} holds or {@code
 * maxIterations} ran. Its entry: {@code steps.<id>.{iteration, max_iterations, total_iterations, iterations[i],
 * last}} — {@code iteration} is 1-based and {@code last} is the latest iteration's entry. A failing iteration fails
 * the step.
 *
 * @param id the step id
 * @param name the display name
 * @param step the body (a task or processing step)
 * @param exitWhen the CEL exit condition, checked after each iteration
 * @param maxIterations the cap (default 10)
 * @param failAtMax whether reaching the cap fails the step ({@code on_max: fail}) instead of leaving the loop ({@code
 *     on_max: exit}, the default)
 * @param onError what a failure does
 */
public record LoopStep(
        String id,
        String name,
        WorkflowStep step,
        Optional<String> exitWhen,
        int maxIterations,
        boolean failAtMax,
        OnError onError)
        implements WorkflowStep {

    public LoopStep {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(step, "step");
        requireNonNull(exitWhen, "exitWhen");
        if (maxIterations < 1) {
            throw new IllegalArgumentException("max_iterations must be at least 1, was " + maxIterations);
        }
        requireNonNull(onError, "onError");
    }

    public static LoopStep of(String id, WorkflowStep step, String exitWhen, int maxIterations) {
        return new LoopStep(id, id, step, Optional.of(exitWhen), maxIterations, false, OnError.FAIL);
    }

    public LoopStep named(String value) {
        return new LoopStep(id, value, step, exitWhen, maxIterations, failAtMax, onError);
    }

    @Override
    public String type() {
        return "loop";
    }

    @Override
    public List<WorkflowStep> children() {
        return List.of(step);
    }
}
