package dev.orchestra4j.topology;

import dev.orchestra4j.topology.internal.Metadata;
import dev.orchestra4j.topology.internal.Names;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A directed edge: {@code source} may hand work to {@code target}. {@code "A <-> B"} and the other two-way
 * notations produce two edges. The metadata key {@value #PATTERN} records the arrow an edge came from
 * ({@code directed}, {@code bidirectional}, {@code alternating} or {@code symmetric}; {@code directed} when
 * absent), and alternating edges carry {@value #MAX_TURNS} (an {@code Integer}). A {@value #CONDITION} metadata
 * entry (the MARSYS way to write a conditional edge) becomes the {@link #condition()}; keys that look like engine
 * settings ({@link #REJECTED_METADATA}) are rejected; every other key is free-form data.
 *
 * @param source the node that may invoke
 * @param target the node it may invoke
 * @param kind {@code INVOKE}, or {@code ERROR} for a route taken only when the source fails
 * @param condition for a conditional edge ({@code [when X]}), the label that must match; never on error edges
 * @param metadata the pattern and free-form data; copied, immutable
 */
public record Edge(
        String source, String target, EdgeKind kind, Optional<String> condition, Map<String, Object> metadata) {
    /** Metadata key for the arrow pattern. */
    public static final String PATTERN = "pattern";
    /** Metadata key for the turn limit of an alternating ({@code <~>}) edge. */
    public static final String MAX_TURNS = "max_turns";
    /** The turn limit a {@code <~>} edge gets by default. */
    public static final int DEFAULT_MAX_TURNS = 10;

    /**
     * Metadata key of the MARSYS form {@code Edge("A", "B", metadata={"condition": "valid"})}: it becomes this
     * edge's {@link #condition()} (exactly like {@code "A -> B [when valid]"}) and is removed from the metadata.
     */
    public static final String CONDITION = "condition";

    /**
     * Metadata keys that look like engine settings but are not settings of an edge. They are rejected rather
     * than silently ignored, with a hint to the real knob: a run would otherwise behave differently from what the
     * topology seems to say. Other keys are free-form data that the engine never reads.
     */
    public static final Map<String, String> REJECTED_METADATA = Map.ofEntries(
            Map.entry("when", "use the condition ('A -> B [when X]' or metadata 'condition')"),
            Map.entry("label", "use the condition ('A -> B [when X]' or metadata 'condition')"),
            Map.entry("kind", "use the edge's kind ('A -> B [on error]')"),
            Map.entry("type", "use the edge's kind ('A -> B [on error]')"),
            Map.entry("edge_type", "use the edge's kind ('A -> B [on error]')"),
            Map.entry("on_error", "use an error edge ('A -> B [on error]')"),
            Map.entry("timeout", "use ExecutionConfig.stepTimeout or the rule 'timeout(S)'"),
            Map.entry("max_retries", "use ErrorHandlingConfig.maxRetries"),
            Map.entry("retries", "use ErrorHandlingConfig.maxRetries"),
            Map.entry("priority", "edges are tried in declaration order; reorder them"),
            Map.entry("parallel", "use the rule 'parallel(A, B, ...)'"),
            Map.entry("bidirectional", "write 'A <-> B'"),
            Map.entry("convergence", "set convergence on the target node (Node.withConvergence)"),
            Map.entry("convergence_policy", "set 'convergence_policy' in the target node's metadata"));

    /** The values {@value #PATTERN} may take. */
    public static final Set<String> PATTERNS = Set.of("directed", "bidirectional", "alternating", "symmetric");

    /**
     * Validates and copies; adds {@code pattern=directed} when no pattern is given.
     *
     * @throws IllegalArgumentException for invalid names, a blank condition, a condition on an error edge, two
     *     different conditions (argument and metadata), an unknown pattern, a non-positive {@code max_turns} or
     *     a {@link #REJECTED_METADATA} key
     */
    public Edge {
        Names.check(Objects.requireNonNull(source, "source"));
        Names.check(Objects.requireNonNull(target, "target"));
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(metadata, "metadata");
        Map<String, Object> copied = new LinkedHashMap<>(Metadata.copy(metadata));
        condition = liftCondition(condition, copied);
        condition.ifPresent(label -> checkCondition(label, kind));
        copied.remove(CONDITION);
        metadata = withPattern(Metadata.copy(copied));
        checkMetadata(metadata);
    }

    /** An unconditional {@code INVOKE} edge, as {@code "source -> target"} gives. */
    public static Edge of(String source, String target) {
        return new Edge(source, target, EdgeKind.INVOKE, Optional.empty(), Map.of());
    }

    /** A conditional edge, as {@code "source -> target [when label]"} gives. */
    public static Edge when(String source, String target, String label) {
        return new Edge(source, target, EdgeKind.INVOKE, Optional.of(label), Map.of());
    }

    /** An error route, as {@code "source -> target [on error]"} gives. */
    public static Edge onError(String source, String target) {
        return new Edge(source, target, EdgeKind.ERROR, Optional.empty(), Map.of());
    }

    /** The arrow pattern this edge came from: {@code directed}, {@code bidirectional}, {@code alternating}... */
    public String pattern() {
        return (String) metadata.get(PATTERN);
    }

    /** Whether this is an error route. */
    public boolean isError() {
        return kind == EdgeKind.ERROR;
    }

    /** This edge alone in notation, for messages: {@code "A -> B [when ok]"}. */
    public String notation() {
        String arrow = source + " -> " + target;
        if (kind == EdgeKind.ERROR) {
            return arrow + " [on error]";
        }
        return condition.map(label -> arrow + " [when " + label + "]").orElse(arrow);
    }

    private static void checkCondition(String label, EdgeKind kind) {
        if (label.isBlank() || !label.strip().equals(label)) {
            throw new IllegalArgumentException(
                    "condition must be non-blank without surrounding whitespace, was '" + label + "'");
        }
        int invisible = Names.firstInvisible(label);
        if (invisible >= 0) {
            throw new IllegalArgumentException("condition '" + label + "' must not contain "
                    + Names.describe(label.codePointAt(invisible)) + " (at position " + (invisible + 1) + ")");
        }
        if (label.indexOf('[') >= 0 || label.indexOf(']') >= 0) {
            throw new IllegalArgumentException("condition must not contain brackets, was '" + label + "'");
        }
        if (kind == EdgeKind.ERROR) {
            throw new IllegalArgumentException("an error edge cannot have a condition, was '" + label + "'");
        }
    }

    private static Optional<String> liftCondition(Optional<String> condition, Map<String, Object> metadata) {
        Object lifted = metadata.get(CONDITION);
        if (lifted == null) {
            return condition;
        }
        if (!(lifted instanceof String label)) {
            throw new IllegalArgumentException("metadata 'condition' must be a string (a label), was " + lifted);
        }
        if (condition.isPresent() && !condition.get().equals(label)) {
            throw new IllegalArgumentException("edge has two conditions: '" + condition.get()
                    + "' and metadata 'condition' '" + label + "'; keep one");
        }
        return Optional.of(label);
    }

    private static Map<String, Object> withPattern(Map<String, Object> metadata) {
        if (metadata.containsKey(PATTERN)) {
            return metadata;
        }
        Map<String, Object> copy = new LinkedHashMap<>(metadata);
        copy.put(PATTERN, "directed");
        return Metadata.copy(copy);
    }

    private static void checkMetadata(Map<String, Object> metadata) {
        Object pattern = metadata.get(PATTERN);
        if (!(pattern instanceof String name) || !PATTERNS.contains(name)) {
            throw new IllegalArgumentException("edge pattern must be one of " + PATTERNS + ", was '" + pattern + "'");
        }
        for (String key : metadata.keySet()) {
            String hint = REJECTED_METADATA.get(key);
            if (hint != null) {
                throw new IllegalArgumentException(
                        "edge metadata '" + key + "' is not an edge setting and would be " + "ignored; " + hint);
            }
        }
        Object turns = metadata.get(MAX_TURNS);
        if (turns != null && (!(turns instanceof Integer count) || count <= 0)) {
            throw new IllegalArgumentException("max_turns must be a positive integer, was " + turns);
        }
    }
}
