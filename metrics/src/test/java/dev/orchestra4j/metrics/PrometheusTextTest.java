package dev.orchestra4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The test-side parser must itself be strict, or the endpoint test proves nothing. */
final class PrometheusTextTest {

    @Test
    void parse_wellFormed_readsTypesAndEscapedLabels() {
        PrometheusText text = PrometheusText.parse("""
                # HELP a_total Things \\\\ done\\nover lines
                # TYPE a_total counter
                a_total{agent="Re \\"x\\"\\n\\\\",outcome="success",} 2.0
                a_total 1e3 1700000000000
                # TYPE d_seconds summary
                d_seconds_count 1
                d_seconds_sum 0.5
                # TYPE g gauge
                g NaN
                """);

        assertThat(text.types()).containsEntry("a_total", "counter").containsEntry("d_seconds", "summary");
        assertThat(text.help()).containsEntry("a_total", "Things \\ done\nover lines");
        assertThat(text.value("a_total", "agent", "Re \"x\"\n\\", "outcome", "success"))
                .contains(2.0);
        assertThat(text.value("a_total")).contains(1000.0);
        assertThat(text.value("d_seconds_sum")).contains(0.5);
    }

    @Test
    void parse_sampleWithoutType_rejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PrometheusText.parse("a 1\n"))
                .withMessageContaining("no TYPE");
    }

    @Test
    void parse_malformedLines_rejectedNamingTheLine() {
        String head = "# TYPE a gauge\n";
        for (String bad : new String[] {
            "a{b=\"x} 1",
            "a{b=x} 1",
            "a{1b=\"x\"} 1",
            "a{b=\"\\t\"} 1",
            "a{b=\"x\",b=\"y\"} 1",
            "a 1.0.0",
            "a Infinity",
            "a  1",
            "a 1 2 3",
            "a{b=\"x\"}1",
            "# just a comment",
            "# TYPE a gauge"
        }) {
            assertThatIllegalArgumentException()
                    .as(bad)
                    .isThrownBy(() -> PrometheusText.parse(head + bad + "\n"))
                    .withMessageStartingWith("line 2:");
        }
    }

    @Test
    void parse_repeatedSeriesOrInterleavedFamilies_rejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1\na 2\n"))
                .withMessageContaining("repeated");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"y\"} 2\n"))
                .withMessageContaining("not contiguous");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1"))
                .withMessageContaining("line feed");
    }
}
