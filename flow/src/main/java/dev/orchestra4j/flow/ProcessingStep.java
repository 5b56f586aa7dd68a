package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the function registered as {@code function} in the definition's {@link FunctionRegistry} on the context
 * ({@code input}, {@code steps}) plus {@code contextData} (string values rendered as Liquid). Serialisable, because
 * it names its function.
 *
 * @param id the step id
 * @param name the display name
 * @param function the registry name of the function
 * @param contextData extra entries for the function
 * @param onError what a failure does
 */
public record ProcessingStep(String id, String name, String function, Map<String, Object> contextData, OnError onError)
        implements WorkflowStep {

    public ProcessingStep {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(function, "function");
        contextData = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contextData));
        requireNonNull(onError, "onError");
    }

    public static ProcessingStep of(String id, String function) {
        return new ProcessingStep(id, id, function, Map.of(), OnError.FAIL);
    }

    public ProcessingStep named(String value) {
        return new ProcessingStep(id, value, function, contextData, onError);
    }

    public ProcessingStep withContextData(Map<String, ?> value) {
        return new ProcessingStep(id, name, function, new LinkedHashMap<>(value), onError);
    }

    @Override
    public String type() {
        return "processing";
    }
}
