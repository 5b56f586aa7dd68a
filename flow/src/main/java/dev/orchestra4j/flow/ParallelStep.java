package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Runs its children at once, at most {@code maxConcurrency} at a time, waits for all of them and keeps their entries
 * in declaration order: {@code steps.<id>.results[i].{step, result, output, success}}. One failed child fails the
 * step with the children's errors joined by {@code "; "} (the seed's {@code wait_all}).
 *
 * @param id the step id
 * @param name the display name
 * @param steps the children (task or processing steps)
 * @param maxConcurrency most children running at once (default 5)
 * @param onError what a failure does
 */
public record ParallelStep(String id, String name, List<WorkflowStep> steps, int maxConcurrency, OnError onError)
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
        return new ParallelStep(id, id, List.of(steps), 5, OnError.FAIL);
    }

    public ParallelStep named(String value) {
        return new ParallelStep(id, value, steps, maxConcurrency, onError);
    }

    public ParallelStep withMaxConcurrency(int value) {
        return new ParallelStep(id, name, steps, value, onError);
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
