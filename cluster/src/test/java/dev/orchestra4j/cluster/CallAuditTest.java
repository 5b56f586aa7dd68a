package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.cluster.CallAudit.Attempt;
import dev.orchestra4j.cluster.CallAudit.Kill;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The classifier behind the load and soak benchmarks: only a step in flight at a kill may run twice. */
final class CallAuditTest {

    private static Attempt call(String step, String worker, String input, int stepNo, double at) {
        return new Attempt("s", step, worker, input, "root", stepNo, at);
    }

    @Test
    void audit_stepInFlightOnKilledWorkerRunsAgainElsewhere_isReexecutionNotRepeat() {
        List<Attempt> calls = List.of(
                call("S1", "w1", "go", 1, 1.0),
                call("S2", "w1", "go>S1", 2, 2.0),
                call("S2", "w2", "go>S1", 2, 9.0),
                call("S3", "w2", "go>S1>S2", 3, 10.0));

        CallAudit.Result result = CallAudit.audit(calls, List.of(new Kill("w1", 3.0)), Set.of());

        assertThat(result.reexecuted()).isEqualTo(1);
        assertThat(result.repeated()).isEmpty();
        assertThat(CallAudit.resumeSeconds(calls, "s", new Kill("w1", 3.0))).contains(6.0);
    }

    @Test
    void audit_committedStepRunsAgain_isRepeat() {
        List<Attempt> calls = List.of(
                call("S1", "w1", "go", 1, 1.0),
                call("S2", "w1", "go>S1", 2, 2.0),
                call("S1", "w2", "go", 1, 9.0)); // S2 had started, so S1 was committed

        CallAudit.Result result = CallAudit.audit(calls, List.of(new Kill("w1", 3.0)), Set.of());

        assertThat(result.reexecuted()).isZero();
        assertThat(result.repeated()).containsExactly(calls.get(2));
    }

    @Test
    void audit_repeatWithoutKillOrOnSameWorkerOrStartedAfterKill_isRepeat() {
        List<Attempt> noKill = List.of(call("S1", "w1", "go", 1, 1.0), call("S1", "w2", "go", 1, 2.0));
        List<Attempt> sameWorker = List.of(call("S1", "w1", "go", 1, 1.0), call("S1", "w1", "go", 1, 2.0));
        List<Attempt> afterKill = List.of(call("S1", "w1", "go", 1, 5.0), call("S1", "w2", "go", 1, 9.0));

        assertThat(CallAudit.audit(noKill, List.of(), Set.of()).repeated()).hasSize(1);
        assertThat(CallAudit.audit(sameWorker, List.of(new Kill("w1", 3.0)), Set.of())
                        .repeated())
                .hasSize(1);
        assertThat(CallAudit.audit(afterKill, List.of(new Kill("w1", 3.0)), Set.of())
                        .repeated())
                .hasSize(1);
    }

    @Test
    void audit_answerAppliedTwiceAtAnotherStep_isRepeatEvenAcrossAKill() {
        List<Attempt> calls = List.of(
                call("Ask", "w1", "go>S1", 2, 1.0),
                call("Ask", "w1", "a1", 3, 2.0),
                call("Ask", "w2", "a1", 4, 9.0)); // the same answer taken by a later step

        CallAudit.Result result = CallAudit.audit(calls, List.of(new Kill("w1", 3.0)), Set.of());

        assertThat(result.repeated()).containsExactly(calls.get(2));
    }

    @Test
    void audit_liveWorkerTakenOver_itsStepInFlightMayRunAgainButNothingBefore() {
        List<Attempt> calls = List.of(
                call("S1", "w1", "go", 1, 1.0),
                call("S2", "w1", "go>S1", 2, 2.0),
                call("S2", "w2", "go>S1", 2, 9.0),
                call("S1", "w2", "go", 1, 9.5));

        CallAudit.Result result = CallAudit.audit(calls, List.of(), Set.of(new CallAudit.Takeover("s", "w1")));

        assertThat(result.reexecuted()).isEqualTo(1);
        assertThat(result.repeated()).containsExactly(calls.get(3));
    }

    @Test
    void resumeSeconds_noCallAfterTheKill_isEmpty() {
        List<Attempt> calls = List.of(call("S1", "w1", "go", 1, 1.0));

        assertThat(CallAudit.resumeSeconds(calls, "s", new Kill("w1", 3.0))).isEmpty();
    }
}
