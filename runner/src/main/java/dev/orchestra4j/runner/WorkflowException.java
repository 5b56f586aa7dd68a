package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code WORKFLOW.md} that cannot be used. {@link #code()} is one of Symphony's error codes ({@code
 * missing_workflow_file}, {@code workflow_parse_error}, {@code workflow_front_matter_not_a_map}, {@code
 * template_parse_error}, {@code template_render_error}, {@code unsupported_tracker_kind}, {@code invalid_config},
 * {@code missing_tracker_secret}); {@link #problems()} lists every problem found, not just the first.
 */
public final class WorkflowException extends OrchestraException {

    private final String code;
    private final List<String> problems;

    public WorkflowException(String code, String message) {
        this(code, List.of(message), null);
    }

    public WorkflowException(String code, String message, Throwable cause) {
        this(code, List.of(message), cause);
    }

    public WorkflowException(String code, List<String> problems, @Nullable Throwable cause) {
        super(code + ": " + String.join("; ", problems), cause);
        this.code = requireNonNull(code, "code");
        this.problems = List.copyOf(problems);
    }

    /** The Symphony error code, e.g. {@code workflow_parse_error}. */
    public String code() {
        return code;
    }

    /** Every problem found, each naming the offending key or line. */
    public List<String> problems() {
        return problems;
    }
}
