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
 * absent), and alternating edges carry {@value #MAX_TURNS} (an {@code Integer}).
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

    /** The values {@value #PATTERN} may take. */
    public static final Set<String> PATTERNS = Set.of("directed", "bidirectional", "alternating", "symmetric");

    /**
     * Validates and copies; adds {@code pattern=directed} when no pattern is given.
     *
     * @throws IllegalArgumentException for invalid names, a blank condition, a condition on an error edge, an
     *     unknown pattern or a non-positive {@code max_turns}
     */
    public Edge {
        Names.check(source);
        Names.check(target);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(metadata, "metadata");
        condition.ifPresent(label -> checkCondition(label, kind));
        metadata = withPattern(Metadata.copy(metadata));
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
        if (label.indexOf('[') >= 0 || label.indexOf(']') >= 0) {
            throw new IllegalArgumentException("condition must not contain brackets, was '" + label + "'");
        }
        if (kind == EdgeKind.ERROR) {
            throw new IllegalArgumentException("an error edge cannot have a condition, was '" + label + "'");
        }
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
        Object turns = metadata.get(MAX_TURNS);
        if (turns != null && (!(turns instanceof Integer count) || count <= 0)) {
            throw new IllegalArgumentException("max_turns must be a positive integer, was " + turns);
        }
    }
}
