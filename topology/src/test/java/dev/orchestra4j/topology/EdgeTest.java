package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class EdgeTest {

    @Test
    void of_plainEdge_isDirectedInvokeWithoutCondition() {
        Edge edge = Edge.of("A", "B");
        assertThat(edge.kind()).isEqualTo(EdgeKind.INVOKE);
        assertThat(edge.condition()).isEmpty();
        assertThat(edge.pattern()).isEqualTo("directed");
        assertThat(edge.metadata()).containsExactly(Map.entry("pattern", "directed"));
    }

    @Test
    void constructor_noPattern_equalsEdgeOf() {
        assertThat(new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), Map.of()))
                .isEqualTo(Edge.of("A", "B"));
    }

    @Test
    void constructor_conditionOnErrorEdge_throws() {
        assertThatThrownBy(() -> new Edge("A", "B", EdgeKind.ERROR, Optional.of("x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("error edge");
    }

    @Test
    void constructor_blankCondition_throws() {
        assertThatThrownBy(() -> Edge.when("A", "B", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_unknownPattern_throws() {
        assertThatThrownBy(() -> new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), Map.of("pattern", "loop")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loop");
    }

    @Test
    void constructor_nonPositiveMaxTurns_throws() {
        assertThatThrownBy(() -> new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), Map.of("max_turns", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max_turns must be a positive integer, was 0");
    }

    @Test
    void notation_conditionalAndErrorEdges_showAnnotations() {
        assertThat(Edge.of("A", "B").notation()).isEqualTo("A -> B");
        assertThat(Edge.when("A", "B", "valid").notation()).isEqualTo("A -> B [when valid]");
        assertThat(Edge.onError("A", "Fixer").notation()).isEqualTo("A -> Fixer [on error]");
        assertThat(Edge.onError("A", "Fixer").isError()).isTrue();
    }

    @Test
    void constructor_marsysConditionInMetadata_becomesTheCondition() {
        Edge edge = new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), Map.of("condition", "valid", "note", "x"));
        assertThat(edge).isEqualTo(new Edge("A", "B", EdgeKind.INVOKE, Optional.of("valid"), Map.of("note", "x")));
        assertThat(edge.notation()).isEqualTo("A -> B [when valid]");
        assertThat(edge.metadata()).doesNotContainKey("condition");
    }

    @Test
    void constructor_twoDifferentConditions_rejected() {
        assertThatThrownBy(() -> new Edge("A", "B", EdgeKind.INVOKE, Optional.of("ok"), Map.of("condition", "valid")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two conditions: 'ok' and metadata 'condition' 'valid'");
    }

    @Test
    void constructor_metadataConditionOnErrorEdge_rejected() {
        assertThatThrownBy(() -> new Edge("A", "B", EdgeKind.ERROR, Optional.empty(), Map.of("condition", "x")))
                .hasMessageContaining("an error edge cannot have a condition");
    }

    @Test
    void constructor_metadataKeyThatLooksLikeAKnob_rejectedWithHint() {
        assertThatThrownBy(() -> new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), Map.of("timeout", 30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("edge metadata 'timeout' is not an edge setting")
                .hasMessageContaining("stepTimeout");
        assertThatThrownBy(() -> new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), Map.of("when", "ok")))
                .hasMessageContaining("use the condition");
    }

    @Test
    void constructor_freeFormMetadata_kept() {
        Edge edge = new Edge("A", "B", EdgeKind.INVOKE, Optional.empty(), Map.of("weight", 2, "note", "x"));
        assertThat(edge.metadata()).containsEntry("weight", 2).containsEntry("note", "x");
    }
}
