package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Steps and gates by name, for {@link Pipeline#fromJson}: a JSON pipeline names its handlers, the catalog supplies
 * them. A gate gets the data converted to its step's input type.
 */
public final class PipelineCatalog {

    private final Map<String, Step<?, ?>> steps = new LinkedHashMap<>();
    private final Map<String, Predicate<Object>> gates = new LinkedHashMap<>();

    private PipelineCatalog() {}

    public static PipelineCatalog create() {
        return new PipelineCatalog();
    }

    /** Registers steps under their ids. */
    public PipelineCatalog step(Step<?, ?>... values) {
        for (Step<?, ?> s : values) {
            steps.put(requireNonNull(s, "step").id(), s);
        }
        return this;
    }

    /** Registers a gate under {@code name}. */
    @SuppressWarnings("unchecked")
    public <T> PipelineCatalog gate(String name, Predicate<? super T> gate) {
        requireNonNull(gate, "gate");
        gates.put(requireNonNull(name, "name"), v -> ((Predicate<Object>) gate).test(v));
        return this;
    }

    public Optional<Step<?, ?>> step(String id) {
        return Optional.ofNullable(steps.get(id));
    }

    public Optional<Predicate<Object>> gate(String name) {
        return Optional.ofNullable(gates.get(name));
    }
}
