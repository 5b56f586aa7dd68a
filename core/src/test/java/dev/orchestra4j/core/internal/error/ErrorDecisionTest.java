package dev.orchestra4j.core.internal.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ErrorDecisionTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "retry | RETRY",
                "  RETRY  | RETRY",
                "r | RETRY",
                "Re | RETRY",
                "1 | RETRY",
                "skip | SKIP",
                "S | SKIP",
                "2 | SKIP",
                "abort | ABORT",
                "Abort, please | ABORT",
                "a | ABORT",
                "3 | ABORT",
                "'  skip.' | SKIP"
            })
    void parse_lenientAnswer_givesDecision(String answer, ErrorDecision expected) {
        assertThat(ErrorDecision.parse(answer)).contains(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "   ", "sure", "retrying", "4", "no", "?"})
    void parse_otherAnswer_isEmpty(String answer) {
        assertThat(ErrorDecision.parse(answer)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void options_areTheDecisionsInOrder() {
        assertThat(ErrorDecision.options()).containsExactly("retry", "skip", "abort");
        for (ErrorDecision decision : ErrorDecision.values()) {
            assertThat(ErrorDecision.parse(ErrorDecision.options().get(decision.ordinal())))
                    .contains(decision);
        }
    }
}
