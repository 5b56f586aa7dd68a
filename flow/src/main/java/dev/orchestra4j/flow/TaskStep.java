package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Runs the agent registered as {@code agent} on {@code prompt}, rendered as strict Liquid over the workflow context
 * ({@code {{ input.topic }}}, {@code {{ steps.draft.result }}}, legacy {@code {{step.<id>.result}}}). Its entry:
 * {@code steps.<id>.{result, output, success}}.
 *
 * @param id the step id
 * @param name the display name
 * @param agent the registry name of the agent that runs it
 * @param prompt the Liquid template of the request
 * @param retry this step's own retry budget
 * @param timeout this step's own timeout per attempt
 * @param onError what a failure does
 */
public record TaskStep(
        String id,
        String name,
        String agent,
        String prompt,
        Optional<Integer> retry,
        Optional<Duration> timeout,
        OnError onError)
        implements WorkflowStep {

    public TaskStep {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(agent, "agent");
        requireNonNull(prompt, "prompt");
        requireNonNull(retry, "retry");
        requireNonNull(timeout, "timeout");
        requireNonNull(onError, "onError");
    }

    public static TaskStep of(String id, String agent, String prompt) {
        return new TaskStep(id, id, agent, prompt, Optional.empty(), Optional.empty(), OnError.FAIL);
    }

    public TaskStep named(String value) {
        return new TaskStep(id, value, agent, prompt, retry, timeout, onError);
    }

    public TaskStep withRetry(int maxRetries) {
        return new TaskStep(id, name, agent, prompt, Optional.of(maxRetries), timeout, onError);
    }

    public TaskStep withTimeout(Duration value) {
        return new TaskStep(id, name, agent, prompt, retry, Optional.of(value), onError);
    }

    public TaskStep withOnError(OnError value) {
        return new TaskStep(id, name, agent, prompt, retry, timeout, value);
    }

    @Override
    public String type() {
        return "task";
    }
}
