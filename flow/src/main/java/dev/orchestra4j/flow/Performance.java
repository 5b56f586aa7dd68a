package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.flow.internal.FlowJson;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A pipeline run's record: every step's latest output, and — in the {@link PipelineResult} — the history of every
 * step run (input, output, start, duration, attempt, error). A handler gets its own copy (never shared between
 * ensemble branches) with the outputs of the steps before it; it travels in the branch payload, so it survives a
 * pause or a crash.
 *
 * @param pipelineId the pipeline's id
 * @param performanceId the run's id (the session id)
 * @param stepId the step this copy was made for (empty in a result)
 * @param stepNumber how many steps ran before, plus one (a cycle counts each iteration)
 * @param attempt the attempt of the current step (2 after one retry)
 * @param metadata the pipeline's metadata
 * @param outputs the latest output of each step that ran, by step id
 * @param history every step run, in order (filled in results; empty inside a handler)
 * @param warnings what went wrong without failing the run (a cycle stopped at its cap)
 */
public record Performance(
        String pipelineId,
        String performanceId,
        String stepId,
        int stepNumber,
        int attempt,
        Map<String, Object> metadata,
        Map<String, Object> outputs,
        List<Entry> history,
        List<String> warnings) {

    public Performance {
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(performanceId, "performanceId");
        requireNonNull(stepId, "stepId");
        metadata = Map.copyOf(metadata);
        outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        history = List.copyOf(history);
        warnings = List.copyOf(warnings);
    }

    /** The latest output of {@code stepId}, as it was produced (or as plain JSON types after a resume). */
    public Optional<Object> output(String stepId) {
        return Optional.ofNullable(outputs.get(stepId));
    }

    /** The latest output of {@code stepId} converted to {@code type}. */
    public <T> Optional<T> output(String stepId, Class<T> type) {
        return output(stepId).map(v -> type.isInstance(v) ? type.cast(v) : FlowJson.MAPPER.convertValue(v, type));
    }

    /** The history entries of one step, in order. */
    public List<Entry> history(String stepId) {
        return history.stream().filter(e -> e.stepId().equals(stepId)).toList();
    }

    /**
     * One step run.
     *
     * @param stepNumber 1-based position among the run's step runs
     * @param stepId the step
     * @param input what the step was given
     * @param output what it produced, or null when it failed
     * @param start when it started
     * @param duration how long it took
     * @param attempt the attempt (1 unless retried)
     * @param error why it failed
     */
    public record Entry(
            int stepNumber,
            String stepId,
            @Nullable Object input,
            @Nullable Object output,
            Instant start,
            Duration duration,
            int attempt,
            Optional<String> error) {

        public Entry {
            requireNonNull(stepId, "stepId");
            requireNonNull(start, "start");
            requireNonNull(duration, "duration");
            requireNonNull(error, "error");
        }
    }
}
