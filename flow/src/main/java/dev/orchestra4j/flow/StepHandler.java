package dev.orchestra4j.flow;

/**
 * The work of one pipeline {@link Step}: turns the step's input into its output. It may block (it runs on a virtual
 * thread and is interrupted when its step times out) and may throw: the engine classifies, retries and routes the
 * failure like any agent's.
 *
 * @param <I> what the step takes
 * @param <O> what the step gives
 */
@FunctionalInterface
public interface StepHandler<I, O> {

    /**
     * Handles one input.
     *
     * @param input the step's input, already checked against its contract
     * @param performance earlier steps' outputs and this step's number and attempt
     * @return the output, checked against the step's contract after it returns
     * @throws Exception any failure
     */
    O handle(I input, Performance performance) throws Exception;
}
