package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

final class AgentResponseTest {

    @Test
    void parallel_unorderedMapOfSeveral_isRejectedWithAHint() {
        assertThatThrownBy(() -> AgentResponse.parallel(Map.of("A", 1, "B", 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("defined order")
                .hasMessageContaining("LinkedHashMap");
    }

    @Test
    void parallel_sequencedMap_keepsItsOrder() {
        Map<String, Object> requests = new LinkedHashMap<>();
        requests.put("Zed", "z");
        requests.put("Alpha", "a");
        requests.put("Mid", "m");

        assertThat(AgentResponse.parallel(requests).invocations())
                .extracting(Invocation::agent)
                .containsExactly("Zed", "Alpha", "Mid");
        assertThat(AgentResponse.parallel(new TreeMap<>(requests)).invocations())
                .extracting(Invocation::agent)
                .containsExactly("Alpha", "Mid", "Zed");
        assertThat(AgentResponse.parallel(Map.of("Only", 1)).invocations()).hasSize(1);
    }

    @Test
    void parallel_sequencedMap_aggregateFollowsTheMapOrderInARun() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> C")
                .edge("Hub <-> A")
                .edge("Hub <-> B")
                .edge("Hub -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("C", 1);
        order.put("A", 2);
        order.put("B", 3);
        agents.register(
                "Hub",
                r -> r.arrivals().isEmpty()
                        ? AgentResponse.parallel(order)
                        : AgentResponse.finish(
                                r.arrivals().stream().map(Arrival::agent).toList()));
        for (String worker : List.of("A", "B", "C")) {
            agents.register(worker, r -> AgentResponse.finish(worker));
        }

        OrchestraResult result =
                Orchestra.run("go", t, RunOptions.builder().agents(agents).build());

        assertThat(result.finalResponse()).isEqualTo(List.of("C", "A", "B"));
    }

    @Test
    @SuppressWarnings("deprecation")
    void invoke_deprecatedAlias_isTheSameHandOff() {
        assertThat(AgentResponse.invoke("B", "x")).isEqualTo(AgentResponse.handOff("B", "x"));
    }

    @Test
    void call_isAForkOfOne() {
        assertThat(AgentResponse.call("Calc", "2+3").invocations()).containsExactly(Invocation.of("Calc", "2+3"));
    }
}
