package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.event.BarrierKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
                .as("docs/engine/barrier-states.md must be regenerated from Barrier.State.TABLE.mermaid()")
                .isEqualTo(Barrier.State.TABLE.mermaid());
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
    void branchMove_notInTheTable_throwsNamingBranchPhasesAndEventAndKeepsTheState() {
        Branch b = new Branch(
                "b3", null, BarrierKind.ROOT, "root1", "A", "in", null, Instant.EPOCH, new BranchState.Ready());
        b.move(new BranchState.Running(1), "a step started");
        b.move(new BranchState.Settled(BranchStatus.COMPLETED, null), "it finished");

        assertThatThrownBy(() -> b.move(new BranchState.Ready(), "a late StepDone"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("illegal branch transition of 'b3': SETTLED -> READY on a late StepDone");
        assertThat(b.phase()).isEqualTo(BranchPhase.SETTLED);
        assertThat(b.status()).isEqualTo(BranchStatus.COMPLETED);
    }

    @Test
    void branchMove_readyToJoiningWithoutAStep_isIllegal() {
        Branch b = new Branch(
                "b4", null, BarrierKind.ROOT, "root1", "A", "in", null, Instant.EPOCH, new BranchState.Ready());

        assertThatThrownBy(() -> b.move(new BranchState.Joining("f2"), "it forked"))
                .hasMessageContaining("READY -> JOINING on it forked");
    }

    @Test
    void branchCreated_running_isIllegal() {
        assertThatThrownBy(() -> new Branch(
                        "b5",
                        null,
                        BarrierKind.ROOT,
                        "root1",
                        "A",
                        "in",
                        null,
                        Instant.EPOCH,
                        new BranchState.Running(1)))
                .hasMessage("illegal branch transition of 'b5': (new) -> RUNNING on created");
    }

    @Test
    void branchState_derivedViews_comeFromTheOneState() {
        Branch b = new Branch(
                "b6", null, BarrierKind.ROOT, "root1", "A", "in", null, Instant.EPOCH, new BranchState.Ready());
        b.move(new BranchState.Running(1), "a step started");
        b.move(new BranchState.Joining("f1"), "it forked");
        assertThat(b.waitingOn()).isEqualTo("f1");
        assertThat(b.status()).isEqualTo(BranchStatus.WAITING);
        b.move(new BranchState.Asking("s:q1", "f1"), "asked the user");
        assertThat(b.waitingQuestion()).isEqualTo("s:q1");
        assertThat(b.waitingOn()).isEqualTo("f1");
        b.move(new BranchState.Settled(BranchStatus.FAILED, "no"), "it ended FAILED");
        assertThat(b.waitingOn()).isNull();
        assertThat(b.failure()).isEqualTo("no");
        assertThat(b.isAlive()).isFalse();
    }

    @Test
    void barrierMove_closedTwice_throwsNamingBarrierStatesAndEvent() {
        Barrier x = new Barrier(
                "f1", BarrierKind.FORK, "Hub", "b1", dev.orchestra4j.core.ConvergencePolicy.STRICT, Instant.EPOCH);
        x.move(Barrier.State.FIRED, "it fired");

        assertThatThrownBy(() -> x.move(Barrier.State.CANCELLED, "the run ended CANCELLED"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("illegal barrier transition of 'f1': FIRED -> CANCELLED on the run ended CANCELLED");
    }

    @Test
    void closedBarrier_neverReopens() {
        for (Barrier.State closed :
                new Barrier.State[] {Barrier.State.FIRED, Barrier.State.FAILED, Barrier.State.CANCELLED}) {
            assertThat(Barrier.State.TABLE.allows(closed, Barrier.State.OPEN)).isFalse();
        }
    }
}
