package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.topology.Topology;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Reuses a session's {@link Plan} across sessions of the same topology, registry and configuration (review §6: building
 * it is O(nodes) of topology analysis per run). A small direct-mapped table, lock-free: a slot holds the last plan built
 * for the topologies hashing to it; a collision simply builds a new plan. A plan is reused only after checking that
 * the registry still maps every agent node to the agent the plan holds (registries are mutable), so a cached plan is
 * always the plan {@code new Plan(...)} would build now. At most {@value #SLOTS} plans (and their topologies) are kept.
 */
final class PlanCache {

    static final int SLOTS = 64;

    private record Entry(
            Topology topology,
            AgentRegistry registry,
            boolean dynamicConvergence,
            ConvergencePolicy policy,
            Plan plan) {

        boolean matches(Topology t, AgentRegistry r, ExecutionConfig config) {
            return topology == t
                    && registry == r
                    && dynamicConvergence == config.dynamicConvergenceEnabled()
                    && policy.equals(config.convergencePolicy())
                    && plan.agentsStillRegisteredIn(r);
        }
    }

    private static final AtomicReferenceArray<@Nullable Entry> TABLE = new AtomicReferenceArray<>(SLOTS);

    private PlanCache() {}

    /** The plan for these inputs: a cached one when still valid, else a new one (cached for the next session). */
    static Plan of(Topology topology, AgentRegistry registry, ExecutionConfig config) {
        int slot = (System.identityHashCode(topology) * 31 + System.identityHashCode(registry)) & (SLOTS - 1);
        Entry cached = TABLE.get(slot);
        if (cached != null && cached.matches(topology, registry, config)) {
            return cached.plan();
        }
        Plan plan = new Plan(topology, registry, config);
        TABLE.set(
                slot,
                new Entry(topology, registry, config.dynamicConvergenceEnabled(), config.convergencePolicy(), plan));
        return plan;
    }
}
