package dev.orchestra4j.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.topology.Rule;
import dev.orchestra4j.topology.TopologyException;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

final class RuleParserTest {

    @Test
    void parse_decimalTimeout_keepsNanos() {
        assertThat(RuleParser.parse("timeout(0.000000001)")).isEqualTo(new Rule.Timeout(Duration.ofNanos(1)));
    }

    @Test
    void parse_badInputs_nameTextAndPosition() {
        assertProblem("max_steps", "position 10: expected '('");
        assertProblem("max_steps(3", "expected ')'");
        assertProblem("max_steps(3) x", "position 14: expected ')' at the end");
        assertProblem("retries(3)", "position 1: unknown rule 'retries'");
        assertProblem("max_steps(many)", "position 11: expected an integer, was 'many'");
        assertProblem("max_steps(1, 2)", "position 14: max_steps takes 1 argument, got 2");
        assertProblem("max_turns(A)", "max_turns takes 2 arguments, got 1");
        assertProblem("timeout(soon)", "expected a number of seconds");
        assertProblem("timeout(0.0000000001)", "more than 9 decimal places");
        assertProblem("timeout(0)", "timeout must be positive");
        assertProblem("parallel(A,,B)", "position 12: empty argument");
        assertProblem("parallel(A)", "parallel needs at least 2 agents, was 1");
        assertProblem("max_agents(0)", "max_agents must be positive, was 0");
    }

    private static void assertProblem(String text, String fragment) {
        assertThatThrownBy(() -> RuleParser.parse(text))
                .as(text)
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining(fragment);
    }

    @Property(tries = 2000)
    void parse_randomText_onlyEverThrowsTopologyException(@ForAll("ruleish") String text) {
        try {
            Rule rule = RuleParser.parse(text);
            assertThat(RuleParser.parse(rule.notation())).isEqualTo(rule);
        } catch (TopologyException e) {
            assertThat(e.getMessage()).contains("position");
        }
    }

    @Provide
    Arbitrary<String> ruleish() {
        Arbitrary<String> pieces = Arbitraries.of(
                "timeout",
                "max_steps",
                "max_agents",
                "max_turns",
                "convergence_point",
                "parallel",
                "(",
                ")",
                ",",
                " ",
                "A",
                "B",
                "3",
                "-1",
                "0.5",
                "1e3",
                "99999999999",
                "[",
                "\n");
        Arbitrary<String> joined = pieces.list().ofMaxSize(8).map(list -> String.join("", list));
        return Arbitraries.oneOf(joined, Arbitraries.strings().ofMaxLength(20));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"timeout(1e100000000)", "timeout(9e999999999)", "timeout(1e-100000000)", "timeout(1e19)"})
    void parse_hugeOrTinyExponent_rejectedFast(String text) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofMillis(500), () -> assertThatThrownBy(() -> RuleParser.parse(text))
                        .isInstanceOf(TopologyException.class)
                        .hasMessageContaining("cannot parse rule '" + text + "' at position 9"));
    }

    @Test
    void parse_veryLongNumber_rejectedWithoutParsingIt() {
        String text = "timeout(" + "9".repeat(100_000) + ")";
        assertThatThrownBy(() -> RuleParser.parse(text)).hasMessageContaining("100000 characters long");
    }

    @Test
    void parse_largestSensibleTimeout_accepted() {
        assertThat(RuleParser.parse("timeout(1e17)"))
                .isEqualTo(new Rule.Timeout(Duration.ofSeconds(100_000_000_000_000_000L)));
    }
}
