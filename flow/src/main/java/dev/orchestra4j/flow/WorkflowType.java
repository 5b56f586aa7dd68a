package dev.orchestra4j.flow;

import java.util.Arrays;
import java.util.Locale;

/** How a {@link TaskGraph} runs its tasks (the run-graph {@code workflow_type}). */
public enum WorkflowType {
    /** In list order; each task gets the previous task's result as context; stops at the first failure. */
    SEQUENTIAL,
    /** All at once, without context. */
    PARALLEL,
    /** By {@code depends_on}: a task runs once all its dependencies completed, with their results as context. */
    GRAPH;

    /** The wire spelling: {@code sequential}, {@code parallel}, {@code graph}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire spelling. */
    public static WorkflowType fromWire(String value) {
        for (WorkflowType type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("workflow_type must be one of "
                + Arrays.stream(values()).map(WorkflowType::wireName).toList() + ", was '" + value + "'");
    }
}
