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
}
