package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Runs its children at once, at most {@code maxConcurrency} at a time, and keeps their entries in declaration order:
 * {@code steps.<id>.results[i].{step, result, output, success}}. By default ({@code on_failure: wait_all}, the seed's
 * behaviour) it waits for every child and a failed child fails the step with the children's errors joined by {@code
 * "; "}; with {@code on_failure: fail_fast} the first failure fails the step at once and cancels the running
 * siblings.
 *
 * @param id the step id
 * @param name the display name
 * @param steps the children (task or processing steps)
 * @param maxConcurrency most children running at once (default 5)
 * @param failFast whether the first failed child fails the step at once ({@code on_failure: fail_fast})
 * @param onError what a failure does
 */
public record ParallelStep(
        String id, String name, List<WorkflowStep> steps, int maxConcurrency, boolean failFast, OnError onError)
        implements WorkflowStep {

    public ParallelStep {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        steps = List.copyOf(steps);
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("max_concurrency must be at least 1, was " + maxConcurrency);
        }
        requireNonNull(onError, "onError");
    }

    public static ParallelStep of(String id, WorkflowStep... steps) {
        return new ParallelStep(id, id, List.of(steps), 5, false, OnError.FAIL);
    }

    public ParallelStep named(String value) {
        return new ParallelStep(id, value, steps, maxConcurrency, failFast, onError);
    }

    public ParallelStep withMaxConcurrency(int value) {
        return new ParallelStep(id, name, steps, value, failFast, onError);
    }

    /** Fails at the first failed child and cancels the others ({@code on_failure: fail_fast}). */
    public ParallelStep withFailFast() {
        return new ParallelStep(id, name, steps, maxConcurrency, true, onError);
    }

    @Override
    public String type() {
        return "parallel";
    }

    @Override
    public List<WorkflowStep> children() {
        return steps;
    }
}
