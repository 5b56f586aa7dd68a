package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.flow.internal.FlowJson;
import dev.orchestra4j.flow.internal.WorkflowCheck;
import dev.orchestra4j.flow.internal.WorkflowCodec;
import dev.orchestra4j.flow.internal.WorkflowCompiler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A declarative workflow (the Symphony orchestration layer, with its data model fixed): steps with stable,
 * user-given ids; a context tree ({@code input}, {@code steps.<id>.…}); strict Liquid prompts; CEL conditions.
 * Immutable: {@link #addStep} returns a new definition. Every definition is checked when it is built or loaded —
 * references to unknown or later steps, conditions that do not type-check, unknown functions — and a {@link
 * FlowException} lists every problem. {@link #toJson()}/{@link #fromJson} round-trip with ids intact.
 */
public final class WorkflowDefinition {

    private final String id;
    private final String name;
    private final String description;
    private final List<WorkflowStep> steps;
    private final Map<String, Object> metadata;
    private final FunctionRegistry functions;

    private WorkflowDefinition(
            String id,
            String name,
            String description,
            List<WorkflowStep> steps,
            Map<String, Object> metadata,
            FunctionRegistry functions) {
        this.id = requireNonNull(id, "id");
        this.name = requireNonNull(name, "name");
        this.description = requireNonNull(description, "description");
        this.steps = List.copyOf(steps);
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.functions = requireNonNull(functions, "functions");
        List<String> problems = WorkflowCheck.problems(this);
        if (!problems.isEmpty()) {
            throw new FlowException("workflow '" + name + "' is not valid", problems);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Reads a definition from JSON; processing steps find their functions in {@code functions}. */
    public static WorkflowDefinition fromJson(String json, FunctionRegistry functions) {
        return WorkflowCodec.fromJson(json, functions);
    }

    public static WorkflowDefinition fromJson(String json) {
        return fromJson(json, FunctionRegistry.none());
    }

    /** Reads a definition from YAML (the same keys as JSON). */
    public static WorkflowDefinition fromYaml(String yaml, FunctionRegistry functions) {
        return WorkflowCodec.fromYaml(yaml, functions);
    }

    public static WorkflowDefinition fromYaml(String yaml) {
        return fromYaml(yaml, FunctionRegistry.none());
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The top-level steps, in order. */
    public List<WorkflowStep> steps() {
        return steps;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The functions processing steps are looked up in. */
    public FunctionRegistry functions() {
        return functions;
    }

    /** A new definition with {@code step} appended; this one is unchanged. */
    public WorkflowDefinition addStep(WorkflowStep step) {
        List<WorkflowStep> more = new ArrayList<>(steps);
        more.add(requireNonNull(step, "step"));
        return new WorkflowDefinition(id, name, description, more, metadata, functions);
    }

    /** Compiles against the agents that run its task steps (by registry name). */
    public CompiledFlow compile(AgentRegistry agents) {
        return WorkflowCompiler.compile(this, agents);
    }

    /** The definition as a JSON-shaped map. */
    public Map<String, Object> toMap() {
        return WorkflowCodec.toMap(this);
    }

    public String toJson() {
        return FlowJson.writePretty(toMap());
    }

    /** SHA-256 of the canonical JSON; stored in the compiled topology, so every snapshot carries it. */
    public String digest() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(FlowJson.write(toMap()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WorkflowDefinition d && d.toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "WorkflowDefinition[" + id + ", " + steps.size() + " steps]";
    }

    /** Builds a {@link WorkflowDefinition}; {@link #build()} checks it. */
    public static final class Builder {
        private String id;
        private final String name;
        private String description = "";
        private final List<WorkflowStep> steps = new ArrayList<>();
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private FunctionRegistry functions = FunctionRegistry.none();

        private Builder(String name) {
            this.name = requireNonNull(name, "name");
            this.id = slug(name);
        }

        private static String slug(String name) {
            String s = name.toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("(^-|-$)", "");
            return s.isEmpty() ? "workflow" : s;
        }

        public Builder id(String value) {
            id = requireNonNull(value, "id");
            return this;
        }

        public Builder description(String value) {
            description = requireNonNull(value, "description");
            return this;
        }

        public Builder step(WorkflowStep value) {
            steps.add(requireNonNull(value, "step"));
            return this;
        }

        public Builder metadata(String key, Object value) {
            metadata.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        public Builder functions(FunctionRegistry value) {
            functions = requireNonNull(value, "functions");
            return this;
        }

        public WorkflowDefinition build() {
            return new WorkflowDefinition(id, name, description, steps, metadata, functions);
        }
    }
}
