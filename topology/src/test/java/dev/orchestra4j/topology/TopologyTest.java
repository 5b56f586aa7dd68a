package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

final class TopologyTest {

    private static Topology research() {
        return Topology.builder()
                .node("Planner")
                .edge("Start -> Planner")
                .edge("Planner <-> Researcher")
                .edge("Planner -> End")
                .rule("max_steps(50)")
                .metadata("owner", "team")
                .build();
    }

    @Test
    void builder_edges_addNodesImplicitlyInOrderOfMention() {
        assertThat(research().nodes()).extracting(Node::name).containsExactly("Planner", "Start", "Researcher", "End");
        assertThat(research().node("Researcher")).contains(Node.of("Researcher"));
        assertThat(research().node("Nobody")).isEmpty();
    }

    @Test
    void builder_twoWayNotation_addsTwoEdgesInDeclarationOrder() {
        assertThat(research().edges())
                .extracting(Edge::source, Edge::target)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Start", "Planner"),
                        org.assertj.core.groups.Tuple.tuple("Planner", "Researcher"),
                        org.assertj.core.groups.Tuple.tuple("Researcher", "Planner"),
                        org.assertj.core.groups.Tuple.tuple("Planner", "End"));
    }

    @Test
    void builder_nodeObject_replacesImplicitNodeKeepingPosition() {
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge("A -> End")
                .node(Node.of("A").withMetadata(Map.of("role", "solo")))
                .node("A")
                .build();
        assertThat(topology.nodes().get(1).name()).isEqualTo("A");
        assertThat(topology.node("A").orElseThrow().metadata()).containsEntry("role", "solo");
    }

    @Test
    void builder_convergence_setsModeOnExistingNode() {
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge("A -> End")
                .convergence("A", ConvergenceMode.FORCE)
                .build();
        assertThat(topology.node("A").orElseThrow().convergence()).isEqualTo(ConvergenceMode.FORCE);
        assertThat(topology.analysis().isRendezvous("A")).isTrue();
    }

    @Test
    void builder_convergenceOnEnd_throwsAtTheCall() {
        assertThatThrownBy(() -> Topology.builder().convergence("End", ConvergenceMode.FORCE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builder_badNotation_throwsAtTheCall() {
        assertThatThrownBy(() -> Topology.builder().edge("A => B"))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("'A => B'")
                .hasMessageContaining("position 4");
        assertThatThrownBy(() -> Topology.builder().rule("max_steps(x)")).isInstanceOf(TopologyException.class);
    }

    @Test
    void of_agentsAndFlows_sameAsBuilder() {
        Topology fromLists = Topology.of(
                List.of("Planner", "Researcher"),
                List.of("Start -> Planner", "Planner <-> Researcher", "Planner -> End"));
        Topology built = Topology.builder()
                .node("Planner")
                .node("Researcher")
                .edges("Start -> Planner", "Planner <-> Researcher", "Planner -> End")
                .build();
        assertThat(fromLists).isEqualTo(built).hasSameHashCodeAs(built);
    }

    @Test
    void rules_byType_filtersInDeclarationOrder() {
        Topology topology = research().toBuilder()
                .rule("timeout(60)")
                .rule("max_turns(Researcher, 2)")
                .build();
        assertThat(topology.rules(Rule.Timeout.class)).containsExactly(new Rule.Timeout(Duration.ofMinutes(1)));
        assertThat(topology.rules(Rule.MaxSteps.class)).containsExactly(new Rule.MaxSteps(50));
        assertThat(topology.rules()).hasSize(3);
        assertThat(topology.rules(Rule.Parallel.class)).isEmpty();
    }

    @Test
    void toBuilder_unchanged_buildsEqualTopology() {
        assertThat(research().toBuilder().build()).isEqualTo(research());
    }

    @Test
    void toBuilder_extended_leavesOriginalUntouched() {
        Topology original = research();
        Topology extended = original.toBuilder().edge("Researcher -> End").build();
        assertThat(original.edges()).hasSize(4);
        assertThat(extended.edges()).hasSize(5);
        assertThat(extended).isNotEqualTo(original);
    }

    @Test
    void digest_equalTopologies_equalDigests() {
        assertThat(research().digest())
                .isEqualTo(research().digest())
                .hasSize(64)
                .matches("[0-9a-f]+");
        Topology other = research().toBuilder().metadata("owner", "other").build();
        assertThat(other.digest()).isNotEqualTo(research().digest());
    }

    @Test
    void builder_nonFiniteMetadata_throwsAtTheCall() {
        assertThatThrownBy(() -> Topology.builder().metadata("ratio", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
    }

    @Test
    void metadata_isImmutable() {
        assertThat(research().metadata()).containsEntry("owner", "team");
        assertThatThrownBy(() -> research().metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toJson_roundTrip_equalTopology() {
        Topology topology = research();
        assertThat(Topology.fromJson(topology.toJson())).isEqualTo(topology);
    }

    @Test
    void analysis_isComputedOnce() {
        Topology topology = research();
        assertThat(topology.analysis()).isSameAs(topology.analysis());
    }

    @Test
    void toString_listsEdges() {
        assertThat(research().toString()).contains("Planner -> Researcher");
    }

    @Property(tries = 300)
    void toJson_randomValidTopology_roundTripsUnchanged(@ForAll("topologies") Topology topology) {
        Topology copy = Topology.fromJson(topology.toJson());
        assertThat(copy).isEqualTo(topology);
        assertThat(copy.digest()).isEqualTo(topology.digest());
        assertThat(copy.toJson()).isEqualTo(topology.toJson());
    }

    @Property(tries = 100)
    void toBuilder_randomValidTopology_rebuildsEqual(@ForAll("topologies") Topology topology) {
        assertThat(topology.toBuilder().build()).isEqualTo(topology).hasSameHashCodeAs(topology);
    }

    @Provide
    Arbitrary<Topology> topologies() {
        return RandomTopologies.valid();
    }

    @Test
    void of_nullArguments_namedInTheMessage() {
        assertThatThrownBy(() -> Topology.of(null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("agents");
        assertThatThrownBy(() -> Topology.of(List.of("A"), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("flows");
    }

    @Test
    void builder_nullMetadataValue_namesTheKey() {
        assertThatThrownBy(() -> Topology.builder().metadata("k", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata.k must not be null");
        assertThatThrownBy(() -> Topology.builder().metadata(null, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata keys must be non-blank strings, was 'null'");
    }

    @Test
    void builder_nullArguments_namedInTheMessage() {
        Topology.Builder builder = Topology.builder();
        assertThatThrownBy(() -> builder.node((String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> builder.node((Node) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("node");
        assertThatThrownBy(() -> builder.edge((String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("notation");
        assertThatThrownBy(() -> builder.edge((Edge) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("edge");
        assertThatThrownBy(() -> builder.edges((String[]) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("notations");
        assertThatThrownBy(() -> builder.rule((String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("notation");
        assertThatThrownBy(() -> builder.convergence(null, ConvergenceMode.FORCE))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("node");
        assertThatThrownBy(() -> builder.convergence("A", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("mode");
        assertThatThrownBy(() -> Node.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> Edge.of("A", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("target");
        assertThatThrownBy(() -> research().node(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> research().rules(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("type");
    }

    @Test
    void builder_twoWayEdgeToItself_saysTwoDifferentNodesNotDuplicate() {
        assertThatThrownBy(() -> Topology.builder().edge("A <~> A"))
                .isInstanceOf(TopologyException.class)
                .hasMessage("invalid topology: cannot parse edge 'A <~> A' at position 3: the two-way arrow '<~>' "
                        + "needs two different nodes, found 'A' on both sides (a node that hands work to itself is "
                        + "written 'A -> A')")
                .hasMessageNotContaining("duplicate");
    }

    @Test
    void builder_tabsAroundArrow_likeSpaces() {
        Topology tabs = Topology.builder().edges("Start\t->\tA", "A\t->\tEnd").build();
        assertThat(tabs)
                .isEqualTo(Topology.builder().edges("Start -> A", "A -> End").build());
    }
}
