package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class StageTest {

    @Test
    void of_sequentialStage_entersFirstAndExitsLast() {
        Stage stage = Stage.of("draft", "Outliner", "Writer");
        assertThat(stage.parallel()).isFalse();
        assertThat(stage.entries()).containsExactly("Outliner");
        assertThat(stage.exits()).containsExactly("Writer");
    }

    @Test
    void parallel_parallelStage_entersAndExitsEveryAgent() {
        Stage stage = Stage.parallel("research", "A", "B");
        assertThat(stage.parallel()).isTrue();
        assertThat(stage.entries()).containsExactly("A", "B");
        assertThat(stage.exits()).containsExactly("A", "B");
    }

    @Test
    void constructor_invalidAgents_throw() {
        assertThatThrownBy(() -> Stage.of("empty")).hasMessageContaining("at least one agent");
        assertThatThrownBy(() -> Stage.of("s", "A", "A")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Stage.of("s", "End")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Stage.of(" ", "A")).isInstanceOf(IllegalArgumentException.class);
    }
}
