package dev.orchestra4j.flow;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of a {@link WorkflowDefinition}: {@link TaskStep}, {@link ConditionalStep}, {@link ParallelStep}, {@link
 * LoopStep} or {@link ProcessingStep}. Ids are user-given, stable and unique in the definition; they name the step's
 * node and its context entry {@code steps.<id>}.
 */
public sealed interface WorkflowStep permits TaskStep, ConditionalStep, ParallelStep, LoopStep, ProcessingStep {

    /** The step's id. */
    String id();

    /** The step's display name (its id unless given); failures say {@code Step '<name>' failed: …}. */
    String name();

    /** The wire name of the step type: task, conditional, parallel, loop or processing. */
    String type();

    /** How a failure of this step is handled once its retries are spent. */
    OnError onError();

    /** This step's own retry budget, if any (node metadata {@code max_retries}). */
    default Optional<Integer> retry() {
        return Optional.empty();
    }

    /** This step's own timeout per attempt, if any (node metadata {@code step_timeout}). */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    /** The steps nested in this one, in declaration order. */
    default List<WorkflowStep> children() {
        return List.of();
    }
}
