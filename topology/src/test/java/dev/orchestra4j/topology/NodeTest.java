package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class NodeTest {

    @Test
    void of_reservedNames_giveTheirKinds() {
        assertThat(Node.of("Start").kind()).isEqualTo(NodeKind.START);
        assertThat(Node.of("End").kind()).isEqualTo(NodeKind.END);
        assertThat(Node.of("User").kind()).isEqualTo(NodeKind.USER);
        assertThat(Node.of("Researcher").kind()).isEqualTo(NodeKind.AGENT);
    }

    @Test
    void of_reservedNameInOtherCase_isAgent() {
        assertThat(Node.of("start").isAgent()).isTrue();
        assertThat(Node.of("END").isAgent()).isTrue();
    }

    @Test
    void of_defaults_autoAndEmptyMetadata() {
        Node node = Node.of("Web Searcher");
        assertThat(node.convergence()).isEqualTo(ConvergenceMode.AUTO);
        assertThat(node.metadata()).isEmpty();
        assertThat(node.isAgent()).isTrue();
    }

    @Test
    void constructor_kindContradictsName_throws() {
        assertThatThrownBy(() -> new Node("Start", NodeKind.AGENT, ConvergenceMode.AUTO, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Start'")
                .hasMessageContaining("START");
        assertThatThrownBy(() -> new Node("A", NodeKind.END, ConvergenceMode.AUTO, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_invalidNames_throw() {
        for (String name : new String[] {"", "  ", " A", "A ", "A->B", "A[x]", "A,B", "A\nB"}) {
            assertThatThrownBy(() -> Node.of(name)).as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void constructor_convergenceOnReservedNode_throws() {
        assertThatThrownBy(() -> new Node("End", NodeKind.END, ConvergenceMode.FORCE, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'End'");
    }

    @Test
    void constructor_metadata_isCopiedAndImmutable() {
        Map<String, Object> metadata = new HashMap<>(Map.of("role", "writer"));
        Node node = new Node("A", NodeKind.AGENT, ConvergenceMode.AUTO, metadata);
        metadata.put("role", "changed");
        assertThat(node.metadata()).containsEntry("role", "writer");
        assertThatThrownBy(() -> node.metadata().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void constructor_longMetadataThatFitsInt_normalisedToInteger() {
        Node node = Node.of("A").withMetadata(Map.of("n", 5L));
        assertThat(node.metadata().get("n")).isEqualTo(5);
        assertThat(node).isEqualTo(Node.of("A").withMetadata(Map.of("n", 5)));
    }

    @Test
    void withConvergence_returnsChangedCopy() {
        Node node = Node.of("A").withConvergence(ConvergenceMode.FORCE);
        assertThat(node.convergence()).isEqualTo(ConvergenceMode.FORCE);
        assertThat(node.name()).isEqualTo("A");
    }
}
