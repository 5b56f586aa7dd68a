package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** D23: the deadline queue holds one entry per kind and id, and drops those that no longer matter. */
final class DeadlinesTest {

    private final Deadlines deadlines = new Deadlines();

    @Test
    void add_sameKindAndIdAgain_replacesTheEarlierEntry() {
        for (int lap = 0; lap < 1_000; lap++) {
            deadlines.add(1_000 + lap, Deadlines.Kind.BRANCH, "b1");
        }

        assertThat(deadlines.size()).isEqualTo(1);
        assertThat(deadlines.next()).isEqualTo(1_999);
    }

    @Test
    void remove_settledBranch_leavesNothingBehindAndOthersStillFireInOrder() {
        deadlines.add(30, Deadlines.Kind.BRANCH, "b1");
        deadlines.add(10, Deadlines.Kind.QUESTION, "q1");
        deadlines.add(20, Deadlines.Kind.BRANCH, "b2");
        deadlines.add(20, Deadlines.Kind.RETRY, "b2");

        deadlines.remove(Deadlines.Kind.BRANCH, "b1");

        assertThat(deadlines.pollDue(5)).isNull();
        assertThat(deadlines.pollDue(100)).isEqualTo(new Deadlines.Deadline(10, Deadlines.Kind.QUESTION, "q1"));
        assertThat(deadlines.pollDue(100)).isEqualTo(new Deadlines.Deadline(20, Deadlines.Kind.BRANCH, "b2"));
        assertThat(deadlines.pollDue(100)).isEqualTo(new Deadlines.Deadline(20, Deadlines.Kind.RETRY, "b2"));
        assertThat(deadlines.pollDue(100)).isNull();
        assertThat(deadlines.size()).isZero();
    }

    @Test
    void add_never_clearsAnEarlierDeadlineOfThatId() {
        deadlines.add(10, Deadlines.Kind.BARRIER, "f1");
        deadlines.add(Deadlines.plus(0, ChronoUnit.FOREVER.getDuration()), Deadlines.Kind.BARRIER, "f1");

        assertThat(deadlines.size()).isZero();
        assertThat(deadlines.next()).isEqualTo(Long.MAX_VALUE);
        assertThat(Deadlines.plus(Long.MAX_VALUE - 1, Duration.ofMillis(5))).isEqualTo(Long.MAX_VALUE);
    }

    private static Branch branchDueAt(String id, long atMillis) {
        Branch b = new Branch(
                id,
                null,
                dev.orchestra4j.core.event.BarrierKind.FORK,
                "fork",
                "A",
                "in",
                null,
                java.time.Instant.EPOCH,
                new BranchState.Ready());
        b.deadlineMillis = atMillis;
        return b;
    }

    @Test
    void addBranch_thousandFreshClocksMostSettled_keepsOnlyLiveOnesAndTheEarliestLiveIsNext() {
        java.util.List<Branch> branches = new java.util.ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Branch b = branchDueAt("b" + i, 1_000 + i);
            branches.add(b);
            deadlines.addBranch(b);
        }

        for (int i = 0; i < 990; i++) {
            deadlines.removeBranch(branches.get(i));
        }

        assertThat(deadlines.size()).isEqualTo(10);
        assertThat(deadlines.next()).isEqualTo(1_990);
        assertThat(deadlines.pollDue(1_989)).isNull();
        assertThat(deadlines.pollDue(5_000)).isEqualTo(new Deadlines.Deadline(1_990, Deadlines.Kind.BRANCH, "b990"));
    }

    @Test
    void addBranch_againOrResumedEarlier_replacesItsClockAndFiresInTimeOrderWithOtherKinds() {
        Branch first = branchDueAt("b1", 100);
        Branch second = branchDueAt("b2", 200);
        deadlines.addBranch(first);
        deadlines.addBranch(second);
        deadlines.add(150, Deadlines.Kind.QUESTION, "q1");

        second.deadlineMillis = 50; // resumed with little time left: earlier than the FIFO's last clock
        deadlines.addBranch(second);
        first.deadlineMillis = 300; // restarted: its old entry is stale
        deadlines.addBranch(first);

        assertThat(deadlines.size()).isEqualTo(3);
        assertThat(deadlines.pollDue(1_000)).isEqualTo(new Deadlines.Deadline(50, Deadlines.Kind.BRANCH, "b2"));
        assertThat(deadlines.pollDue(1_000)).isEqualTo(new Deadlines.Deadline(150, Deadlines.Kind.QUESTION, "q1"));
        assertThat(deadlines.pollDue(1_000)).isEqualTo(new Deadlines.Deadline(300, Deadlines.Kind.BRANCH, "b1"));
        assertThat(deadlines.pollDue(1_000)).isNull();
        assertThat(deadlines.size()).isZero();
    }
}
