package dev.orchestra4j.topology;

import java.io.Serial;
import java.util.List;
import java.util.Objects;

/**
 * A topology could not be parsed or is invalid. One exception lists every problem found, so a user fixes them in
 * one go; {@link #problems()} gives them one by one.
 */
public final class TopologyException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** Creates an exception for one problem. */
    public TopologyException(String problem) {
        this(List.of(problem));
    }

    /** Creates an exception for several problems; {@code problems} must not be empty. */
    public TopologyException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they were found; never empty. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        Objects.requireNonNull(problems, "problems");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems must not be empty");
        }
        if (problems.size() == 1) {
            return "invalid topology: " + problems.get(0);
        }
        StringBuilder text = new StringBuilder("invalid topology, " + problems.size() + " problems:");
        problems.forEach(problem -> text.append("\n  - ").append(problem));
        return text.toString();
    }
}
