package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.Topology;
import java.util.function.UnaryOperator;

/**
 * What every front end compiles to: a topology, the agents of its nodes, and run options with a derived {@code
 * maxSteps} bound. Run it like a hand-written topology — {@code Orchestra.run(task, flow.topology(), flow.options())}
 * or an {@code OrchestraInstance} from {@link #instanceBuilder()} (for pause, resume and checkpoints).
 */
public final class CompiledFlow {

    private final String id;
    private final Topology topology;
    private final AgentRegistry agents;
    private final int maxSteps;

    private CompiledFlow(String id, Topology topology, AgentRegistry agents, int maxSteps) {
        this.id = requireNonNull(id, "id");
        this.topology = requireNonNull(topology, "topology");
        this.agents = requireNonNull(agents, "agents");
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("maxSteps must be positive, was " + maxSteps);
        }
        this.maxSteps = maxSteps;
    }

    /**
     * A compiled flow: {@code agents} must hold an agent for every agent node of {@code topology}; {@code maxSteps} is
     * the bound runs of it get unless a caller sets another.
     */
    public static CompiledFlow of(String id, Topology topology, AgentRegistry agents, int maxSteps) {
        return new CompiledFlow(id, topology, agents, maxSteps);
    }

    /** The id of the pipeline, workflow or task graph this was compiled from. */
    public String id() {
        return id;
    }

    public Topology topology() {
        return topology;
    }

    /** The agents of every node, including the synthetic ones (gates, hubs, collectors). */
    public AgentRegistry agents() {
        return agents;
    }

    /** The static bound on steps this flow can take (loops at their cap, every node once otherwise). */
    public int maxSteps() {
        return maxSteps;
    }

    /** Run options with this flow's agents and derived {@code maxSteps}. */
    public RunOptions options() {
        return optionsBuilder().build();
    }

    /** A run-options builder with this flow's agents and {@code maxSteps}, for adding listeners, storage, configs. */
    public RunOptions.Builder optionsBuilder() {
        return RunOptions.builder().agents(agents).maxSteps(maxSteps);
    }

    /** An instance builder with this flow's topology, agents and {@code maxSteps}. */
    public OrchestraInstance.Builder instanceBuilder() {
        return OrchestraInstance.builder().topology(topology).agents(agents).maxSteps(maxSteps);
    }

    /** Runs {@code task} (a String or a Map) to the end with default settings. */
    public OrchestraResult run(Object task) {
        return Orchestra.run(task, topology, options());
    }

    /** Runs {@code task} with options added to this flow's (listeners, state manager, configs). */
    public OrchestraResult run(Object task, UnaryOperator<RunOptions.Builder> options) {
        return Orchestra.run(task, topology, options.apply(optionsBuilder()).build());
    }

    /** Mermaid of the compiled topology. */
    public String toMermaid() {
        return topology.toMermaid();
    }
}
