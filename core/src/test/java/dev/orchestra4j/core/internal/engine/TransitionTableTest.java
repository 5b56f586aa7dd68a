package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The branch and barrier transition tables, and the Mermaid diagrams in docs/engine that must match them. */
final class TransitionTableTest {

    private static final Path DOCS = Path.of("..", "docs", "engine");

    private static String diagram(String file) throws IOException {
        String text = Files.readString(DOCS.resolve(file));
        int start = text.indexOf("```mermaid\n") + "```mermaid\n".length();
        return text.substring(start, text.indexOf("```", start));
    }

    @Test
    void branchDiagram_inDocs_isExactlyTheTable() throws IOException {
        assertThat(diagram("branch-states.md"))
                .as("docs/engine/branch-states.md must be regenerated from BranchPhase.TABLE.mermaid()")
                .isEqualTo(BranchPhase.TABLE.mermaid());
    }

    @Test
    void barrierDiagram_inDocs_isExactlyTheTable() throws IOException {
        assertThat(diagram("barrier-states.md"))
                .as("docs/engine/barrier-states.md must be regenerated from PhaseWatch.BARRIER.mermaid()")
                .isEqualTo(PhaseWatch.BARRIER.mermaid());
    }

    @Test
    void settledBranch_movingAgain_isAnIllegalTransitionNamingStatesAndEvent() {
        for (BranchPhase next : BranchPhase.values()) {
            if (next != BranchPhase.SETTLED) {
                assertThat(BranchPhase.TABLE.allows(BranchPhase.SETTLED, next)).isFalse();
            }
        }
        assertThatThrownBy(() -> BranchPhase.TABLE.check("b7", BranchPhase.SETTLED, BranchPhase.READY, "StepDone"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'b7'")
                .hasMessageContaining("SETTLED -> READY")
                .hasMessageContaining("StepDone");
    }

    @Test
    void closedBarrier_neverReopens() {
        for (Barrier.State closed :
                new Barrier.State[] {Barrier.State.FIRED, Barrier.State.FAILED, Barrier.State.CANCELLED}) {
            assertThat(PhaseWatch.BARRIER.allows(closed, Barrier.State.OPEN)).isFalse();
        }
    }
}
