package dev.orchestra4j.topology;

import dev.orchestra4j.topology.internal.EdgeParser;
import dev.orchestra4j.topology.internal.MermaidRenderer;
import dev.orchestra4j.topology.internal.Metadata;
import dev.orchestra4j.topology.internal.TopologyReader;
import dev.orchestra4j.topology.internal.TopologyValidator;
import dev.orchestra4j.topology.internal.TopologyWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may talk to whom: a validated, immutable and thread-safe graph of nodes and edges plus rules and metadata.
 * Equal topologies (same nodes, edges and rules in the same order, same metadata) have equal {@link #digest()}s.
 *
 * <pre>{@code
 * Topology t = Topology.builder()
 *         .edge("Start -> Planner")
 *         .edge("Planner <-> Researcher")
 *         .edge("Planner -> End")
 *         .rule("max_steps(50)")
 *         .build();
 * }</pre>
 *
 * <p>Every way to build one ({@link #builder()}, {@link #of(List, List)}, {@link #fromMap(Map)},
 * {@link #fromJson(String)}, {@link #fromYaml(String)}, {@link PatternConfig}) validates it and throws one
 * {@link TopologyException} listing every problem.
 */
public final class Topology {
    private final List<Node> nodes;
    private final List<Edge> edges;
    private final List<Rule> rules;
    private final Map<String, Object> metadata;
    private final Map<String, Node> byName;
    private final TopologyAnalysis analysis;
    private volatile String json;
    private volatile String digest;

    private Topology(List<Node> nodes, List<Edge> edges, List<Rule> rules, Map<String, Object> metadata) {
        this.nodes = List.copyOf(nodes);
        this.edges = List.copyOf(edges);
        this.rules = List.copyOf(rules);
        this.metadata = Metadata.copy(metadata);
        Map<String, Node> index = new LinkedHashMap<>();
        this.nodes.forEach(node -> index.put(node.name(), node));
        this.byName = Map.copyOf(index);
        this.analysis = new TopologyAnalysis(this.nodes, this.edges, this.rules);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this topology's nodes, edges, rules and metadata. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        nodes.forEach(builder::node);
        edges.forEach(builder::edge);
        rules.forEach(builder::rule);
        builder.metadata.putAll(metadata);
        return builder;
    }

    /**
     * A topology from agent names and edge notations, like {@code fromMap(Map.of("agents", agents, "flows",
     * flows))}; without a {@code Start} node the legacy translation applies (see {@link #fromMap(Map)}).
     *
     * @throws NullPointerException naming the argument if {@code agents} or {@code flows} is null
     * @throws TopologyException listing every problem
     */
    public static Topology of(List<String> agents, List<String> flows) {
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(flows, "flows");
        return fromMap(Map.of("agents", agents, "flows", flows));
    }

    /**
     * A topology from a map with the keys {@code agents} (alias {@code nodes}: names or objects {@code {name,
     * convergence, metadata}}), {@code flows} (alias {@code edges}: notations, {@link Edge}s or objects
     * {@code {source, target, kind, condition, metadata}}; a {@code metadata.condition} is the edge's condition), {@code rules} (notations or objects {@code {type, ...}}), {@code metadata},
     * and for the legacy form {@code entry_point} and {@code exit_points}. Unknown keys are an error.
     *
     * <p>Legacy form: with no {@code Start} node, {@code Start -> X} is added for the {@code entry_point}, for
     * every {@code User -> X} edge (which is dropped) or, failing both, for the single agent without incoming
     * edges. With no {@code End} node (or with {@code exit_points}), {@code X -> End} is added for each exit
     * point or, failing that, for every leaf: an agent whose edges only lead to {@code User}, or nowhere.
     *
     * @throws TopologyException listing every problem
     */
    public static Topology fromMap(Map<String, ?> map) {
        return TopologyReader.fromMap(map);
    }

    /** A topology from JSON in the {@link #fromMap(Map)} shape, for example the output of {@link #toJson()}. */
    public static Topology fromJson(String json) {
        return TopologyReader.fromJson(json);
    }

    /** A topology from YAML in the {@link #fromMap(Map)} shape. */
    public static Topology fromYaml(String yaml) {
        return TopologyReader.fromYaml(yaml);
    }

    /** All nodes (Start, End and User included), in declaration order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** All edges, in declaration order; this order is the routing order of replies. */
    public List<Edge> edges() {
        return edges;
    }

    /** The node with this name. */
    public Optional<Node> node(String name) {
        return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
    }

    /** The rules, in declaration order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The rules of one type, in declaration order: {@code rules(Rule.Timeout.class)}. */
    public <R extends Rule> List<R> rules(Class<R> type) {
        Objects.requireNonNull(type, "type");
        if (rules.isEmpty()) {
            return List.of(); // the common case, asked several times per session start
        }
        return rules.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Free-form metadata (patterns record {@code pattern} here). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The analysis the engine uses, computed once when the topology was built. */
    public TopologyAnalysis analysis() {
        return analysis;
    }

    /** Canonical JSON in the {@link #fromMap(Map)} shape; {@code fromJson(t.toJson()).equals(t)}. */
    public String toJson() {
        String result = json;
        if (result == null) {
            result = TopologyWriter.toJson(this);
            json = result;
        }
        return result;
    }

    /** A Mermaid {@code flowchart}: rendezvous nodes as hexagons, error edges dashed, conditions as labels. */
    public String toMermaid() {
        return MermaidRenderer.render(this);
    }

    /** The SHA-256 of {@link #toJson()}, in lowercase hex: equal topologies have equal digests. */
    public String digest() {
        String cached = digest;
        if (cached != null) {
            return cached;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(toJson().getBytes(StandardCharsets.UTF_8));
            cached = HexFormat.of().formatHex(hash);
            digest = cached;
            return cached;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Topology that
                && nodes.equals(that.nodes)
                && edges.equals(that.edges)
                && rules.equals(that.rules)
                && metadata.equals(that.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodes, edges, rules, metadata);
    }

    @Override
    public String toString() {
        return "Topology" + edges.stream().map(Edge::notation).toList();
    }

    /**
     * Builds a {@link Topology}. Nodes named in edges and rules are added implicitly, in order of first mention;
     * {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final List<Edge> edges = new ArrayList<>();
        private final List<Rule> rules = new ArrayList<>();
        private final Map<String, Object> metadata = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a node with default settings, unless a node of that name exists.
         *
         * @throws NullPointerException naming the argument if {@code name} is null
         * @throws IllegalArgumentException if the name is not a valid node name
         */
        public Builder node(String name) {
            Objects.requireNonNull(name, "name");
            if (!nodes.containsKey(name)) {
                nodes.put(name, Node.of(name));
            }
            return this;
        }

        /** Adds a node, replacing one of the same name (which keeps its position). */
        public Builder node(Node node) {
            Objects.requireNonNull(node, "node");
            nodes.put(node.name(), node);
            return this;
        }

        /**
         * Adds the edge(s) of one notation: {@code "A -> B"}, {@code "A <-> B"}, {@code "A <~> B"} (ping-pong,
         * {@code max_turns} 10), {@code "A <|> B"} (symmetric peers: they hand work to each other but never fork to
         * each other), {@code "A -> B [when label]"}, {@code "A -> B [on error]"}. Arrows are written whole
         * ({@code "A --> B"} is an error); names may not contain arrows or invisible characters.
         *
         * @throws TopologyException naming the notation and the position when it cannot be parsed
         */
        public Builder edge(String notation) {
            Objects.requireNonNull(notation, "notation");
            EdgeParser.parse(notation).forEach(this::edge);
            return this;
        }

        /** Adds an edge (and its nodes, if new). */
        public Builder edge(Edge edge) {
            Objects.requireNonNull(edge, "edge");
            node(edge.source());
            node(edge.target());
            edges.add(edge);
            return this;
        }

        /** Adds edges in notation, in order. */
        public Builder edges(String... notations) {
            Objects.requireNonNull(notations, "notations");
            for (String notation : notations) {
                edge(notation);
            }
            return this;
        }

        /**
         * Adds a rule in notation, for example {@code "timeout(300)"} or {@code "max_turns(Writer, 3)"}.
         *
         * @throws TopologyException naming the notation and the position when it cannot be parsed
         */
        public Builder rule(String notation) {
            Objects.requireNonNull(notation, "notation");
            return rule(Rule.parse(notation));
        }

        /** Adds a rule. */
        public Builder rule(Rule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Sets one metadata entry.
         *
         * @throws IllegalArgumentException for a null or blank key, a null value or a non-finite number
         */
        public Builder metadata(String key, Object value) {
            Metadata.copy(Collections.singletonMap(key, value));
            metadata.put(key, value);
            return this;
        }

        /**
         * Sets the convergence mode of a node, adding it if new.
         *
         * @throws IllegalArgumentException if the node is Start, End or User and the mode is not {@code AUTO}
         */
        public Builder convergence(String node, ConvergenceMode mode) {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(mode, "mode");
            Node current = nodes.getOrDefault(node, Node.of(node));
            nodes.put(node, current.withConvergence(mode));
            return this;
        }

        /**
         * Validates and builds (SPEC §2.4).
         *
         * @throws TopologyException listing every problem
         */
        public Topology build() {
            List<Node> nodeList = List.copyOf(nodes.values());
            List<String> problems = TopologyValidator.problems(nodeList, edges, rules);
            if (!problems.isEmpty()) {
                throw new TopologyException(problems);
            }
            return new Topology(nodeList, edges, rules, metadata);
        }
    }
}
