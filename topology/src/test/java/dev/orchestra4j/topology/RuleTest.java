package dev.orchestra4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class RuleTest {

    @Test
    void parse_everyRule_givesItsRecord() {
        assertThat(Rule.parse("timeout(300)")).isEqualTo(new Rule.Timeout(Duration.ofSeconds(300)));
        assertThat(Rule.parse("timeout(1.5)")).isEqualTo(new Rule.Timeout(Duration.ofMillis(1500)));
        assertThat(Rule.parse("max_steps(50)")).isEqualTo(new Rule.MaxSteps(50));
        assertThat(Rule.parse("max_agents(4)")).isEqualTo(new Rule.MaxAgents(4));
        assertThat(Rule.parse("max_turns(Web Writer, 3)")).isEqualTo(new Rule.MaxTurns("Web Writer", 3));
        assertThat(Rule.parse("convergence_point(Merger)")).isEqualTo(new Rule.ConvergencePoint("Merger"));
        assertThat(Rule.parse(" parallel( A , B,C ) ")).isEqualTo(new Rule.Parallel(List.of("A", "B", "C")));
    }

    @Test
    void notation_everyRule_roundTrips() {
        List<Rule> rules = List.of(
                new Rule.Timeout(Duration.ofSeconds(300)),
                new Rule.Timeout(Duration.ofNanos(1_500_000_001L)),
                new Rule.Timeout(Duration.ofDays(365L * 1000).plusNanos(7)),
                new Rule.MaxSteps(50),
                new Rule.MaxAgents(4),
                new Rule.MaxTurns("Writer", 3),
                new Rule.ConvergencePoint("Merger"),
                new Rule.Parallel(List.of("A", "B")));
        for (Rule rule : rules) {
            assertThat(Rule.parse(rule.notation())).as(rule.notation()).isEqualTo(rule);
        }
        assertThat(new Rule.Timeout(Duration.ofMinutes(5)).notation()).isEqualTo("timeout(300)");
    }

    @Test
    void parse_negativeNumber_namesRuleAndValue() {
        assertThatThrownBy(() -> Rule.parse("max_steps(-1)"))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("max_steps must be positive, was -1")
                .hasMessageContaining("'max_steps(-1)'");
    }

    @Test
    void records_nonPositiveNumbers_throwIllegalArgument() {
        assertThatThrownBy(() -> new Rule.MaxAgents(0)).hasMessage("max_agents must be positive, was 0");
        assertThatThrownBy(() -> new Rule.MaxTurns("A", -2)).hasMessage("max_turns must be positive, was -2");
        assertThatThrownBy(() -> new Rule.Timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parallel_fewerThanTwoOrRepeatedAgents_throws() {
        assertThatThrownBy(() -> new Rule.Parallel(List.of("A"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rule.Parallel(List.of("A", "A"))).isInstanceOf(IllegalArgumentException.class);
    }
}
