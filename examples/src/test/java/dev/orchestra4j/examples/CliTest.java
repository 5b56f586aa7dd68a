package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        return Cli.run(
                args,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_researchAndReport_printsModelStatusAnswerDiagramAndMetrics() {
        int code = cli("run", "research-and-report");

        assertThat(code).as(err()).isZero();
        assertThat(out())
                .contains("model: offline ScriptedChatModel")
                .contains("[b1 Researcher] step 1 → parallel")
                .contains("== Final answer\n# Virtual threads and server design")
                .contains("== Run diagram (Mermaid)\nsequenceDiagram")
                .contains("== Metrics\nOrchestra4j metrics", "Papers", "completed in");
    }

    @Test
    void run_noArguments_runsTheDefaultExample() {
        int code = cli();

        assertThat(code).as(err()).isZero();
        assertThat(out()).startsWith("== research-and-report:");
    }

    @Test
    void run_quietVerbosity_printsNoStepLines() {
        int code = cli("run", "etl-pipeline", "--verbosity", "quiet");

        assertThat(code).as(err()).isZero();
        assertThat(out())
                .contains("model: none (plain Java agents)", "loaded 3 rows")
                .doesNotContain("step 1 →");
    }

    @Test
    void run_unknownExample_namesItListsTheExamplesAndExitsNonZero() {
        int code = cli("run", "research-and-repot");

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("unknown example 'research-and-repot'", "research-and-report", "coding-run");
        assertThat(out()).isEmpty();
    }

    @Test
    void run_badVerbosity_isAUsageError() {
        assertThat(cli("run", "--verbosity", "loud")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("--verbosity takes quiet, normal or verbose", "usage:");
    }

    @Test
    void unknownCommand_isAUsageError() {
        assertThat(cli("start")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("unknown command 'start'");
    }

    @Test
    void list_showsEveryExampleAndMarksTheLlmDrivenOnes() {
        assertThat(cli("list")).isZero();
        assertThat(out().lines()).hasSize(Gallery.ALL.size());
        assertThat(out()).contains("research-and-report", "etl-pipeline", "coding-run", "[LLM]");
    }
}
