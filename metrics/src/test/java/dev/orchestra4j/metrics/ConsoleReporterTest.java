package dev.orchestra4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunMetrics;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.TimeoutKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ConsoleReporterTest {

    private final MetricsCollector collector = MetricsCollector.of(new SimpleMeterRegistry());
    private final Events s1 = Events.session("s-1");

    @Test
    void report_afterRuns_summarisesEveryTopic() {
        s1.feedSuccessfulRun(collector);
        Events.feed(
                collector,
                s1.runStarted(),
                s1.stepFailed("b-2", "Writer", ErrorCategory.RATE_LIMIT, Duration.ofMillis(20)),
                s1.retryScheduled("b-2", "Writer", ErrorCategory.RATE_LIMIT),
                s1.timeoutFired(TimeoutKind.STEP),
                s1.checkpointSaved("file", 1024, Duration.ofMillis(2)),
                s1.checkpointSaved("file", 3072, Duration.ofMillis(4)),
                s1.runCompleted(RunStatus.FAILED, Duration.ofMillis(30)));

        assertThat(ConsoleReporter.of(collector).report()).isEqualTo("""
                        Orchestra4j metrics
                          runs         2 (completed 1, failed 1), mean 50.0 ms
                          steps        Researcher  ok 2  failed 0  mean 20.0 ms
                                       Writer      ok 1  failed 1  mean 20.0 ms
                          retries      rate_limit 1
                          timeouts     step 1
                          tokens       Researcher in 150 out 30
                          checkpoints  2 saved (file 2), mean 3.0 ms, mean 2.0 KiB, max 3.0 KiB
                        """);
    }

    @Test
    void report_runInProgress_showsActiveSessionsAndBranches() {
        Events.feed(collector, s1.runStarted(), s1.branchSpawned("b-1", "A"), s1.branchSpawned("b-2", "B"));

        assertThat(ConsoleReporter.of(collector).report()).contains("  active       1 sessions, 2 branches\n");
    }

    @Test
    void print_nothingRecorded_printsOnlyTheTitle() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ConsoleReporter.of(collector).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Orchestra4j metrics\n");
    }

    @Test
    void report_agentNameWithNewline_staysOnOneLine() {
        collector.onEvent(s1.stepCompleted("b-1", "Bad\nName", Duration.ofMillis(1), 0, 0));

        assertThat(ConsoleReporter.of(collector).report())
                .isEqualTo("Orchestra4j metrics\n  steps        Bad?Name  ok 1  failed 0  mean 1.0 ms\n");
    }

    @Test
    void summary_result_oneLineFromItsOwnCounters() {
        RunMetrics metrics = RunMetrics.builder()
                .steps(5)
                .branches(2)
                .invocations(Map.of("Writer", 3, "Researcher", 2))
                .retries(1)
                .inputTokens(120)
                .outputTokens(45)
                .wallTime(Duration.ofMillis(1500))
                .busyTime(Duration.ofMillis(1800))
                .build();
        OrchestraResult result = OrchestraResult.builder()
                .sessionId("s-1")
                .status(RunStatus.COMPLETED)
                .finalResponse("done")
                .finalResponses(List.of("done"))
                .totalSteps(5)
                .totalDuration(Duration.ofMillis(1500))
                .metrics(metrics)
                .build();

        assertThat(ConsoleReporter.summary(result))
                .isEqualTo("session s-1 completed in 1.50 s: 5 steps, 2 branches, 1 retries, 0 timeouts,"
                        + " tokens 120 in / 45 out; Researcher x2, Writer x3");
    }
}
