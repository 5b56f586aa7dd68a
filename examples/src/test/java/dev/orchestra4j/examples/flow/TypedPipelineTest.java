package dev.orchestra4j.examples.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.flow.Performance;
import dev.orchestra4j.flow.PipelineResult;
import org.junit.jupiter.api.Test;

final class TypedPipelineTest {

    @Test
    void run_smallValue_isSquaredThenDoubledPast100() {
        // 1+5=6; max(16, 18)=18; 18<=40 -> 324; already >= 100
        PipelineResult<TypedPipeline.Value> result = TypedPipeline.run(1);

        assertThat(result.output()).isEqualTo(new TypedPipeline.Value(324));
        assertThat(result.performance().history())
                .extracting(Performance.Entry::stepId)
                .containsExactlyInAnyOrder("add_five", "plus_ten", "times_three", "larger", "square");
    }

    @Test
    void run_largeValue_isHalvedThenDoubledWhileBelow100() {
        // 20+5=25; max(35, 75)=75; >40 -> 37; 74; 148
        PipelineResult<TypedPipeline.Value> result = TypedPipeline.run(20);

        assertThat(result.output()).isEqualTo(new TypedPipeline.Value(148));
        assertThat(result.orchestraResult().agentInvocationCount("double")).isEqualTo(2);
        assertThat(result.orchestraResult().agentInvocationCount("square")).isZero();
    }

    @Test
    void run_zeroNeverReaches100_theCycleStopsAtItsCapWithAWarning() {
        // 0+5=5; max(15, 15)=15; 225? no: 15<=40 -> 225 >= 100. Use a negative input instead: -5 -> 0 -> max(10,0)=10
        // -> 100
        PipelineResult<TypedPipeline.Value> result = TypedPipeline.run(-15);

        // -15+5=-10; max(0, -30)=0; 0*0=0; doubling 0 never reaches 100 -> capped at 20 cycles
        assertThat(result.output()).isEqualTo(new TypedPipeline.Value(0));
        assertThat(result.performance().warnings()).singleElement().asString().contains("maxCycles (20)");
    }
}
