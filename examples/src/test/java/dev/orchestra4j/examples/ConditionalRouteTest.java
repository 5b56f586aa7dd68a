package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.examples.ConditionalRoute.Order;
import org.junit.jupiter.api.Test;

final class ConditionalRouteTest {

    @Test
    void run_messyOrder_invalidLabelRoutesToFixerThenValidLabelToProcessor() {
        OrchestraResult result = ConditionalRoute.run(ConditionalRoute.SAMPLE_ORDER, RunOptions.builder());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("accepted: 3 x ABC-123 for ada.lovelace@example.org");
        assertThat(result.executionTrace())
                .extracting(TraceStep::agent)
                .containsExactly("Validator", "Fixer", "Validator", "Processor");
    }

    @Test
    void run_validOrder_goesStraightToProcessor() {
        OrchestraResult result =
                ConditionalRoute.run(new Order("XYZ-007", 1, "grace@example.com"), RunOptions.builder());

        assertThat(result.finalResponse()).isEqualTo("accepted: 1 x XYZ-007 for grace@example.com");
        assertThat(result.wasAgentInvoked("Fixer")).isFalse();
    }

    @Test
    void run_quantityTheFixerCannotRepair_runFailsWithItsReasonAndNothingIsProcessed() {
        OrchestraResult result = ConditionalRoute.run(new Order("abc-123", 0, "ada@example.org"), RunOptions.builder());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(error -> assertThat(error).contains("'Fixer'", "cannot fix quantity 0"));
        assertThat(result.wasAgentInvoked("Processor")).isFalse();
    }

    @Test
    void problems_badOrder_namesEveryField() {
        assertThat(new Order("x", 500, "nobody").problems())
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("sku 'x'"))
                .anySatisfy(p -> assertThat(p).contains("quantity 500"))
                .anySatisfy(p -> assertThat(p).contains("email 'nobody'"));
    }
}
