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
 * for the topologies hashing to it; a collision simply builds a new plan. Registries are mutable: a plan is reused
 * as it is while the registry's {@link AgentRegistry#version() version} is the one read before the plan was built or
 * last checked; after a change, only once the registry is found to still map every agent node to the agent the plan
 * holds (the plan's entry then takes the new version). So a cached plan is always the plan {@code new Plan(...)}
 * would build now, and a run of an unchanged registry checks nothing per node. At most {@value #SLOTS} plans (and
 * their topologies) are kept.
 */
final class PlanCache {

    static final int SLOTS = 64;

    /** {@code version} is the registry's version read before {@code plan} was built or last found current. */
    private record Entry(
            Topology topology,
            AgentRegistry registry,
            long version,
            boolean dynamicConvergence,
            ConvergencePolicy policy,
            Plan plan) {

        boolean matches(Topology t, AgentRegistry r, ExecutionConfig config) {
            return topology == t
                    && registry == r
                    && dynamicConvergence == config.dynamicConvergenceEnabled()
                    && policy.equals(config.convergencePolicy());
        }
    }

    private static final AtomicReferenceArray<@Nullable Entry> TABLE = new AtomicReferenceArray<>(SLOTS);

    private PlanCache() {}

    /** The plan for these inputs: a cached one when still valid, else a new one (cached for the next session). */
    static Plan of(Topology topology, AgentRegistry registry, ExecutionConfig config) {
        int slot = (System.identityHashCode(topology) * 31 + System.identityHashCode(registry)) & (SLOTS - 1);
        long version = registry.version(); // before reading the registry: a change from now on is seen next time
        Entry cached = TABLE.get(slot);
        if (cached != null && cached.matches(topology, registry, config)) {
            if (cached.version() == version) {
                return cached.plan();
            }
            if (cached.plan().agentsStillRegisteredIn(registry)) {
                TABLE.compareAndSet(slot, cached, withVersion(cached, version));
                return cached.plan();
            }
        }
        Plan plan = new Plan(topology, registry, config);
        TABLE.set(
                slot,
                new Entry(
                        topology,
                        registry,
                        version,
                        config.dynamicConvergenceEnabled(),
                        config.convergencePolicy(),
                        plan));
        return plan;
    }

    private static Entry withVersion(Entry e, long version) {
        return new Entry(e.topology(), e.registry(), version, e.dynamicConvergence(), e.policy(), e.plan());
    }
}
