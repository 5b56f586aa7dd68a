package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.flow.internal.FlowJson;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Pipeline#perform} returns: the output, the {@link Performance} (with history) and the engine's result.
 *
 * @param <O> the pipeline's output type
 */
public final class PipelineResult<O> {

    private final String pipelineId;
    private final Class<?> outputType;
    private final Performance performance;
    private final OrchestraResult orchestraResult;

    public PipelineResult(
            String pipelineId, Class<?> outputType, Performance performance, OrchestraResult orchestraResult) {
        this.pipelineId = requireNonNull(pipelineId, "pipelineId");
        this.outputType = requireNonNull(outputType, "outputType");
        this.performance = requireNonNull(performance, "performance");
        this.orchestraResult = requireNonNull(orchestraResult, "orchestraResult");
    }

    /** Whether the pipeline ran to its end. */
    public boolean success() {
        return orchestraResult.success();
    }

    public RunStatus status() {
        return orchestraResult.status();
    }

    /** Why the run did not complete. */
    public Optional<String> error() {
        return orchestraResult.error();
    }

    /**
     * The pipeline's output, converted to its last step's output type.
     *
     * @throws FlowException when the run did not complete, with its error
     */
    @SuppressWarnings("unchecked")
    public O output() {
        if (!success()) {
            throw new FlowException("pipeline '" + pipelineId + "' did not complete (" + status() + ")"
                    + error().map(e -> ": " + e).orElse(""));
        }
        @Nullable Object value = orchestraResult.finalResponse();
        if (value == null || outputType.isInstance(value)) {
            return (O) value;
        }
        return (O) FlowJson.MAPPER.convertValue(value, outputType);
    }

    public Performance performance() {
        return performance;
    }

    public OrchestraResult orchestraResult() {
        return orchestraResult;
    }

    @Override
    public String toString() {
        return "PipelineResult[" + pipelineId + ", " + status() + "]";
    }
}
