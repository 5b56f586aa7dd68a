package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two-way candidate index: both directions change in one call, in insertion order. */
final class CandidatesTest {

    private final Candidates candidates = new Candidates();

    @Test
    void addAndRemove_keepBothDirectionsInStep() {
        assertThat(candidates.add("b1", "f1")).isTrue();
        assertThat(candidates.add("b1", "r2")).isTrue();
        assertThat(candidates.add("b2", "f1")).isTrue();
        assertThat(candidates.add("b1", "f1")).isFalse();

        assertThat(candidates.pendingAt("f1")).containsExactly("b1", "b2");
        assertThat(candidates.barriersOf("b1")).containsExactly("f1", "r2");

        assertThat(candidates.remove("b1", "f1")).isTrue();
        assertThat(candidates.remove("b1", "f1")).isFalse();
        assertThat(candidates.pendingAt("f1")).containsExactly("b2");
        assertThat(candidates.barriersOf("b1")).containsExactly("r2");
    }

    @Test
    void removeBranch_withdrawsFromEveryBarrierAndReportsThoseThatExpectedIt() {
        candidates.add("b1", "f1");
        candidates.add("b1", "r2");
        candidates.add("b2", "r2");

        assertThat(candidates.removeBranch("b1")).containsExactly("f1", "r2");
        assertThat(candidates.hasPending("f1")).isFalse();
        assertThat(candidates.pendingAt("r2")).containsExactly("b2");
        assertThat(candidates.barriersOf("b1")).isEmpty();
        assertThat(candidates.removeBranch("b1")).isEmpty();
    }

    @Test
    void restore_putsEachSideBackAsStored() {
        candidates.restoreBranch("b1", List.of("f1", "r2"));
        candidates.restoreBarrier("f1", List.of("b1"));
        candidates.restoreBarrier("r2", List.of("b1"));

        assertThat(candidates.pendingCount("r2")).isEqualTo(1);
        assertThat(candidates.removeBranch("b1")).containsExactly("f1", "r2");
        assertThat(candidates.hasPending("f1")).isFalse();
    }

    @Test
    void aBranchExpectedAtOneBarrier_thenSeveral_thenOneAgain_keepsItsBarriersInOrder() {
        assertThat(candidates.add("b1", "f1")).isTrue();
        assertThat(candidates.add("b1", "f1")).isFalse();
        assertThat(candidates.barriersOf("b1")).containsExactly("f1");
        assertThat(candidates.isBarriersOf("b1", List.of("f1"))).isTrue();

        assertThat(candidates.add("b1", "r2")).isTrue();
        assertThat(candidates.add("b1", "r3")).isTrue();
        assertThat(candidates.add("b1", "r2")).isFalse();
        assertThat(candidates.isBarriersOf("b1", List.of("f1", "r2", "r3"))).isTrue();
        assertThat(candidates.isBarriersOf("b1", List.of("f1", "r3", "r2"))).isFalse();

        assertThat(candidates.remove("b1", "r2")).isTrue();
        assertThat(candidates.remove("b1", "f1")).isTrue();
        assertThat(candidates.barriersOf("b1")).containsExactly("r3");
        assertThat(candidates.isBarriersOf("b1", List.of("r3"))).isTrue();
        assertThat(candidates.isBarriersOf("b1", List.of())).isFalse();
        assertThat(candidates.add("b1", "f4")).isTrue();
        assertThat(candidates.barriersOf("b1")).containsExactly("r3", "f4");

        assertThat(candidates.removeBranch("b1")).containsExactly("r3", "f4");
        assertThat(candidates.isBarriersOf("b1", List.of())).isTrue();
        assertThat(candidates.remove("b1", "r3")).isFalse();
    }

    @Test
    void restoreBranch_dropsRepeatedBarriers_andAnEmptyListForgetsTheBranch() {
        candidates.restoreBranch("b1", List.of("f1", "f1"));
        assertThat(candidates.barriersOf("b1")).containsExactly("f1");

        candidates.restoreBranch("b1", List.of("f1", "r2", "f1"));
        assertThat(candidates.barriersOf("b1")).containsExactly("f1", "r2");

        candidates.restoreBranch("b1", List.of());
        assertThat(candidates.barriersOf("b1")).isEmpty();
        assertThat(candidates.isBarriersOf("b1", List.of())).isTrue();
    }
}
