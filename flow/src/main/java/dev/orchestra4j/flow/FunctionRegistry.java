package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Functions that {@link ProcessingStep}s name; passed when a definition is loaded. Thread-safe. */
public final class FunctionRegistry {

    private final Map<String, Function<Map<String, Object>, Object>> functions = new ConcurrentHashMap<>();

    private FunctionRegistry() {}

    public static FunctionRegistry create() {
        return new FunctionRegistry();
    }

    /** An empty registry. */
    public static FunctionRegistry none() {
        return new FunctionRegistry();
    }

    public FunctionRegistry register(String name, Function<Map<String, Object>, Object> function) {
        requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("function name must not be blank");
        }
        functions.put(name, requireNonNull(function, "function"));
        return this;
    }

    public Optional<Function<Map<String, Object>, Object>> find(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(functions.keySet());
    }
}
