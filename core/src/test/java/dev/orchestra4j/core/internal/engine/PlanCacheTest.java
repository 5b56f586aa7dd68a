package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.topology.Topology;
import org.junit.jupiter.api.Test;

class PlanCacheTest {

    private final Topology topology = Topology.builder()
            .edge("Start -> A")
            .edge("A -> B")
            .edge("B -> End")
            .build();
    private final Agent a = r -> AgentResponse.handOff("B", "x");
    private final Agent b = r -> AgentResponse.finish("y");
    private final AgentRegistry registry =
            AgentRegistry.create().register("A", a).register("B", b);
    private final ExecutionConfig config = ExecutionConfig.defaults();

    @Test
    void sameTopologyRegistryAndConfig_reuseOnePlan() {
        Plan first = PlanCache.of(topology, registry, config);

        assertThat(PlanCache.of(topology, registry, config)).isSameAs(first);
        assertThat(first.node("A").shared()).isSameAs(a);
    }

    @Test
    void reRegisteredAgent_getsAFreshPlanHoldingTheNewAgent() {
        Plan first = PlanCache.of(topology, registry, config);
        Agent replacement = r -> AgentResponse.finish("z");
        registry.register("B", replacement);

        Plan second = PlanCache.of(topology, registry, config);

        assertThat(second).isNotSameAs(first);
        assertThat(second.node("B").shared()).isSameAs(replacement);
    }

    @Test
    void sameAgentRegisteredAgain_keepsThePlanOnceCheckedAndAgainWithoutAChange() {
        Plan first = PlanCache.of(topology, registry, config);
        registry.register("B", b);

        assertThat(PlanCache.of(topology, registry, config)).isSameAs(first);
        assertThat(PlanCache.of(topology, registry, config)).isSameAs(first);
        registry.register("B", r -> AgentResponse.finish("z")); // a change after the check is still seen
        assertThat(PlanCache.of(topology, registry, config)).isNotSameAs(first);
    }

    @Test
    void agentSwitchedToAFactory_getsAFreshPlanWithoutASharedInstance() {
        PlanCache.of(topology, registry, config);
        registry.registerFactory("A", () -> a);

        assertThat(PlanCache.of(topology, registry, config).node("A").shared()).isNull();
    }

    @Test
    void unregisteredAgent_failsNamingItAsANewPlanWould() {
        PlanCache.of(topology, registry, config);
        registry.unregister("B");

        assertThatThrownBy(() -> PlanCache.of(topology, registry, config))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("'B'");
    }

    @Test
    void otherConvergencePolicyOrRegistry_getsItsOwnPlan() {
        Plan first = PlanCache.of(topology, registry, config);
        ExecutionConfig majority = ExecutionConfig.builder()
                .convergencePolicy(ConvergencePolicy.MAJORITY)
                .build();
        AgentRegistry other = AgentRegistry.create().register("A", a).register("B", b);

        Plan byPolicy = PlanCache.of(topology, registry, majority);
        assertThat(byPolicy).isNotSameAs(first);
        assertThat(byPolicy.node("A").policy()).isEqualTo(ConvergencePolicy.MAJORITY);
        assertThat(PlanCache.of(topology, other, config)).isNotSameAs(first);
    }
}
