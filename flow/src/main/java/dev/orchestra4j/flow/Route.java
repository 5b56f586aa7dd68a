package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * One route of a pipeline fork: a gate over the data and the step it leads to. Gates are tried in order and the first
 * that holds wins. A gate gets the data converted to its step's input type.
 *
 * @param name the gate's name, needed to write the pipeline as JSON (gates are looked up by name when read back)
 * @param gate the condition
 * @param step the step run when the gate holds
 */
public record Route(Optional<String> name, Predicate<Object> gate, Step<?, ?> step) {

    public Route {
        requireNonNull(name, "name");
        requireNonNull(gate, "gate");
        requireNonNull(step, "step");
    }

    /** A route taken when {@code gate} holds for the data (converted to {@code step}'s input type). */
    @SuppressWarnings("unchecked")
    public static <T> Route when(Predicate<? super T> gate, Step<T, ?> step) {
        requireNonNull(gate, "gate");
        return new Route(Optional.empty(), v -> ((Predicate<Object>) gate).test(v), step);
    }

    /** A named route: {@link Pipeline#toJson()} writes the gate by this name. */
    @SuppressWarnings("unchecked")
    public static <T> Route when(String name, Predicate<? super T> gate, Step<T, ?> step) {
        requireNonNull(gate, "gate");
        return new Route(Optional.of(name), v -> ((Predicate<Object>) gate).test(v), step);
    }
}
