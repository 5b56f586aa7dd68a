package dev.orchestra4j.examples.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.flow.PipelineResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class QuickStartTest {

    @Test
    void run_addOneThenDouble() {
        PipelineResult<QuickStart.Value> result = QuickStart.run(Map.of("value", 3));

        assertThat(result.output()).isEqualTo(new QuickStart.Value(8));
        assertThat(result.performance().history()).hasSize(2);
        assertThat(QuickStart.pipeline().score().topology().toMermaid())
                .contains("add_one")
                .contains("double");
    }

    @Test
    void run_inputMissingItsValue_failsWithTheFieldNamed() {
        PipelineResult<QuickStart.Value> result = QuickStart.run(Map.of("amount", 3));

        assertThat(result.success()).isFalse();
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("step 'add_one' input: missing property 'value'"));
    }
}
