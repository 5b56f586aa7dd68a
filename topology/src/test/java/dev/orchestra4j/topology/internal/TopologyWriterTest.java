package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Edge;
import dev.orchestra4j.topology.EdgeKind;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class TopologyWriterTest {

    @Test
    void toMap_twoWayNotations_foldedBackIntoOneArrow() {
        Topology topology = Topology.builder()
                .edges("Start -> A", "A <-> B", "A <~> C", "A <|> D", "A -> End")
                .build();
        assertThat(TopologyWriter.toMap(topology).get("flows"))
                .isEqualTo(List.of("Start -> A", "A <-> B", "A <~> C", "A <|> D", "A -> End"));
    }

    @Test
    void toMap_annotations_keptInNotation() {
        Topology topology = Topology.builder()
                .edges("Start -> A", "A -> B [when ok]", "A -> F [on error]", "A -> End", "B -> End", "F -> End")
                .build();
        assertThat(list(TopologyWriter.toMap(topology).get("flows"))).contains("A -> B [when ok]", "A -> F [on error]");
    }

    @Test
    void toMap_edgeWithExtraMetadataOrCustomTurns_writtenAsObject() {
        Map<String, Object> turns = Map.of("pattern", "alternating", "max_turns", 3);
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge(new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), turns))
                .edge(new Edge("B", "A", EdgeKind.INVOKE, Optional.empty(), turns))
                .edge(new Edge("A", "End", EdgeKind.INVOKE, Optional.of("done"), Map.of("weight", 2)))
                .build();
        List<?> flows = (List<?>) TopologyWriter.toMap(topology).get("flows");
        assertThat(flows.get(1)).isEqualTo(Map.of("source", "A", "target", "B", "metadata", turns));
        assertThat(flows.get(3))
                .isEqualTo(Map.of(
                        "source", "A",
                        "target", "End",
                        "condition", "done",
                        "metadata", Map.of("pattern", "directed", "weight", 2)));
        assertThat(Topology.fromJson(topology.toJson())).isEqualTo(topology);
    }

    @Test
    void toMap_unpairedTwoWayEdge_writtenAsObjectAndRoundTrips() {
        Topology topology =
                Topology.builder().edges("Start -> A", "A <-> B", "A -> End").build();
        List<Edge> edges = topology.edges();
        Topology reordered = Topology.builder()
                .edge(edges.get(0))
                .edge(edges.get(1))
                .edge(edges.get(3))
                .edge(edges.get(2))
                .build();
        assertThat(Topology.fromJson(reordered.toJson())).isEqualTo(reordered);
        assertThat(reordered.toJson()).contains("\"pattern\" : \"bidirectional\"");
    }

    @Test
    void toMap_nodeSettings_writtenAsObjects() {
        Topology topology = Topology.builder()
                .node(new Node("A", NodeKind.AGENT, ConvergenceMode.DISABLED, Map.of("tier", 1)))
                .edges("Start -> A", "A -> End")
                .build();
        assertThat(list(TopologyWriter.toMap(topology).get("agents")))
                .containsExactly(
                        Map.of("name", "A", "convergence", "disabled", "metadata", Map.of("tier", 1)), "Start", "End");
    }

    @Test
    void toJson_metadataKeys_sortedWhateverTheInsertionOrder() {
        Topology first = Topology.builder()
                .edges("Start -> A", "A -> End")
                .metadata("b", 1)
                .metadata("a", 2)
                .build();
        Topology second = Topology.builder()
                .edges("Start -> A", "A -> End")
                .metadata("a", 2)
                .metadata("b", 1)
                .build();
        assertThat(first.toJson()).isEqualTo(second.toJson());
        assertThat(first.digest()).isEqualTo(second.digest());
    }

    private static List<Object> list(Object value) {
        return List.copyOf((List<?>) value);
    }
}
