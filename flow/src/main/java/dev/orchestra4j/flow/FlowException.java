package dev.orchestra4j.flow;

import dev.orchestra4j.core.OrchestraException;
import java.util.List;

/**
 * A flow (pipeline, workflow definition or task graph) is not valid. Lists every problem found, not only the first.
 */
public class FlowException extends OrchestraException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public FlowException(String subject, List<String> problems) {
        super(render(subject, problems));
        this.problems = List.copyOf(problems);
    }

    public FlowException(String message) {
        this(message, List.of());
    }

    /** Each problem found, one sentence each. */
    public List<String> problems() {
        return problems;
    }

    private static String render(String subject, List<String> problems) {
        if (problems.isEmpty()) {
            return subject;
        }
        if (problems.size() == 1) {
            return subject + ": " + problems.getFirst();
        }
        StringBuilder out =
                new StringBuilder(subject).append(" (").append(problems.size()).append(" problems):");
        problems.forEach(p -> out.append("\n  - ").append(p));
        return out.toString();
    }
}
