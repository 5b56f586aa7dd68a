package dev.orchestra4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class WorkloadsTest {

    @Test
    void stepOutput_anyStep_isOneEntryUnderTheSharedKey() {
        assertThat(Workloads.stepOutput(7)).isEqualTo(Map.of("k", 7));
    }

    @Test
    void branchOutput_widestBranch_isKeyedByBranch() {
        int last = Integer.parseInt(Workloads.HUGE_FAN_OUT) - 1;

        assertThat(Workloads.branchOutput(last)).isEqualTo(Map.of("p" + last, last));
    }

    @Test
    void marginalPerStep_tenAndHundredSteps_dividesTheDifferenceByNinety() {
        assertThat(Workloads.marginalPerStep(10.0, 100.0)).isEqualTo(1.0);
    }

    @Test
    void requireAll_missingSteps_failsNamingTheBenchmark() {
        assertThatIllegalStateException()
                .isThrownBy(() -> Workloads.requireAll("pipe", 10, 9))
                .withMessageContaining("'pipe' ran 9 of 10");
    }

    @Test
    void requireAll_everyStepRan_passes() {
        assertThatNoException().isThrownBy(() -> Workloads.requireAll("pipe", 10, 10));
    }
}
