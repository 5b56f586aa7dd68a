package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow run: its status, the context tree ({@code input}, {@code workflow}, {@code steps.<id>.…}), the final
 * result and the engine's result.
 *
 * @param status how it ended
 * @param context the context tree as the run left it
 * @param result the last step's result, when it completed
 * @param error {@code Step '<name>' failed: …} when a step failed, or the engine's error
 * @param orchestraResult the engine's result
 */
public record WorkflowRun(
        Status status,
        Map<String, Object> context,
        Optional<Object> result,
        Optional<String> error,
        OrchestraResult orchestraResult) {

    public WorkflowRun {
        requireNonNull(status, "status");
        context = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(context));
        requireNonNull(result, "result");
        requireNonNull(error, "error");
        requireNonNull(orchestraResult, "orchestraResult");
    }

    /** The entry of step {@code id} in the context ({@code steps.<id>}). */
    public Optional<Map<String, Object>> step(String id) {
        if (context.get("steps") instanceof Map<?, ?> steps && steps.get(id) instanceof Map<?, ?> entry) {
            Map<String, Object> out = new LinkedHashMap<>();
            entry.forEach((k, v) -> out.put(String.valueOf(k), v));
            return Optional.of(out);
        }
        return Optional.empty();
    }

    /** A field of a step's entry ({@code result}, {@code branch}, {@code results}, …). */
    public Optional<Object> step(String id, String field) {
        return step(id).map(e -> e.get(field));
    }

    /** The session id (resume a paused run with it). */
    public String sessionId() {
        return orchestraResult.sessionId();
    }

    /** How a workflow run stands. */
    public enum Status {
        COMPLETED,
        FAILED,
        PAUSED,
        WAITING_FOR_USER,
        TIMED_OUT,
        CANCELLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
