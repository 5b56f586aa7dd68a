package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TopologyExceptionTest {

    @Test
    void message_oneProblem_isThatProblem() {
        TopologyException e = new TopologyException("'A' cannot reach 'End' or 'User'");
        assertThat(e.getMessage()).isEqualTo("invalid topology: 'A' cannot reach 'End' or 'User'");
        assertThat(e.problems()).containsExactly("'A' cannot reach 'End' or 'User'");
    }

    @Test
    void message_severalProblems_listsEveryOne() {
        TopologyException e = new TopologyException(List.of("first", "second"));
        assertThat(e.getMessage()).contains("2 problems").contains("- first").contains("- second");
        assertThat(e).isInstanceOf(RuntimeException.class);
    }

    @Test
    void constructor_noProblems_throws() {
        assertThatThrownBy(() -> new TopologyException(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
