package dev.orchestra4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class InterleaveTest {

    @Test
    void summary_reportsMinQuartileAndMedianOfEachMeasure() {
        List<Interleave.Slice> slices = new ArrayList<>();
        for (int i = 8; i >= 1; i--) { // out of order: the summary sorts
            slices.add(new Interleave.Slice(i, 10 * i, 100 * i));
        }

        String line = Interleave.summary("a.jar:Bench:steps=10", slices);

        assertThat(line)
                .startsWith("a.jar:Bench:steps=10")
                .contains("wall min     1.000 p25     3.000 med     5.000")
                .contains("cpu min    10.000 p25    30.000 med    50.000 us/op")
                .endsWith("      500 B/op");
    }

    @Test
    void main_missingArguments_saysHowToCallIt() {
        assertThatThrownBy(() -> Interleave.main(new String[] {"a.jar", "b.jar"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("usage: Interleave <jarA> <jarB> <benchmark class>");
    }

    @Test
    void main_missingJar_namesIt() {
        assertThatThrownBy(() -> Interleave.main(new String[] {
                    "/nowhere/a.jar", "/nowhere/b.jar", "dev.orchestra4j.benchmarks.Workloads", "-", "x"
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no jar at '/nowhere/a.jar'");
    }
}
