package dev.orchestra4j.core.internal.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Whitespace;
import org.junit.jupiter.api.Test;
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

    @Test
    void options_areTheDecisionsInOrder() {
        assertThat(ErrorDecision.options()).containsExactly("retry", "skip", "abort");
        for (ErrorDecision decision : ErrorDecision.values()) {
            assertThat(ErrorDecision.parse(ErrorDecision.options().get(decision.ordinal())))
                    .contains(decision);
        }
    }

    @Property
    void parse_anyPrefixAnyCasePadded_givesThatDecision(
            @ForAll ErrorDecision decision,
            @ForAll @IntRange(min = 1, max = 5) int prefixLength,
            @ForAll boolean upperCase,
            @ForAll @Whitespace @StringLength(max = 3) String padding) {
        String name = decision.name().toLowerCase(Locale.ROOT);
        String typed = name.substring(0, Math.min(prefixLength, name.length()));
        typed = upperCase ? typed.toUpperCase(Locale.ROOT) : typed;

        assertThat(ErrorDecision.parse(padding + typed + padding)).contains(decision);
    }

    @Property
    void parse_answerIsDecidedByItsFirstWordOnly(@ForAll ErrorDecision decision, @ForAll String rest) {
        String answer = decision.name().toLowerCase(Locale.ROOT) + " " + rest;

        assertThat(ErrorDecision.parse(answer)).contains(decision);
    }
}
