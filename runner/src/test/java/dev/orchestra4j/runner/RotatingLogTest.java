package dev.orchestra4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runner's log rotates by size (Symphony: 10 MiB × 5 files), here with small limits. */
final class RotatingLogTest {

    @TempDir
    Path dir;

    @Test
    void rotatesAtTheSizeLimit_keepsAtMostTheFileCount_neverSplitsALine() throws Exception {
        Path file = dir.resolve("runner.log");
        try (PrintStream out = new PrintStream(new RotatingLog(file, 1_000, 5), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 500; i++) {
                out.print("line=" + i);
                out.println(" issue_id=X-" + i + " outcome=completed");
            }
        }

        assertThat(file.resolveSibling("runner.log.5")).doesNotExist();
        List<String> all = new ArrayList<>();
        for (String name : List.of("runner.log.4", "runner.log.3", "runner.log.2", "runner.log.1", "runner.log")) {
            Path part = dir.resolve(name);
            assertThat(Files.size(part)).as(name).isPositive().isLessThanOrEqualTo(1_000);
            all.addAll(Files.readAllLines(part));
        }
        assertThat(all).allMatch(l -> l.matches("line=(\\d+) issue_id=X-\\1 outcome=completed"));
        assertThat(all.get(all.size() - 1)).startsWith("line=499 ");
        for (int i = 1; i < all.size(); i++) {
            assertThat(number(all.get(i))).as("oldest file first, no gap").isEqualTo(number(all.get(i - 1)) + 1);
        }
        assertThat(number(all.get(0))).as("the oldest lines were dropped").isPositive();
    }

    @Test
    void aLineLongerThanTheLimit_getsAFileOfItsOwn() throws Exception {
        Path file = dir.resolve("runner.log");
        try (PrintStream out = new PrintStream(new RotatingLog(file, 10, 3), true, StandardCharsets.UTF_8)) {
            out.println("short");
            out.println("a line much longer than ten bytes");
            out.println("end");
        }
        assertThat(file).hasContent("end");
        assertThat(dir.resolve("runner.log.1")).hasContent("a line much longer than ten bytes");
        assertThat(dir.resolve("runner.log.2")).hasContent("short");
    }

    @Test
    void badLimits_areRefused() {
        assertThatThrownBy(() -> new RotatingLog(dir.resolve("x.log"), 0, 5)).hasMessageContaining("size");
        assertThatThrownBy(() -> new RotatingLog(dir.resolve("x.log"), 10, 0)).hasMessageContaining("count");
    }

    /** Black-box: the runner process with a 2,000-byte limit rotates its own log into five files. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void runnerProcess_rotatesItsLog() throws Exception {
        Files.createDirectories(dir.resolve("issues"));
        // a malformed issue file: every 50 ms poll logs a warning about it
        Files.writeString(dir.resolve("issues/BAD-1.md"), "---\ntitle: no state\n---\n");
        Files.writeString(
                dir.resolve("WORKFLOW.md"),
                "---\ntracker: {kind: file, provider: {path: issues}}\nworkspace: {root: ws}\n"
                        + "polling: {interval_ms: 50}\n---\nWork.\n");
        Path logs = dir.resolve("log");
        try (RunnerProcess p = RunnerProcess.start(
                dir,
                Map.of(),
                List.of("-D" + RunnerLogs.MAX_BYTES_PROPERTY + "=2000"),
                RunnerCli.GUARDRAILS,
                "--logs-root",
                logs.toString(),
                "WORKFLOW.md")) {
            Fixtures.await(
                    Duration.ofSeconds(60),
                    "the log rotated four times",
                    () -> Files.exists(logs.resolve("orchestra4j-runner.log.4")));
            p.kill9();
        }
        assertThat(logs.resolve("orchestra4j-runner.log.5")).doesNotExist();
        for (String name : List.of("orchestra4j-runner.log.4", "orchestra4j-runner.log.1")) {
            Path part = logs.resolve(name);
            assertThat(Files.size(part)).as(name).isLessThanOrEqualTo(2_000);
            assertThat(Files.readAllLines(part))
                    .isNotEmpty()
                    .allMatch(l -> l.matches("\\d{4}-\\d{2}-\\d{2}T\\S+ \\[[^]]+] (INFO|WARN|ERROR) \\S+ - .*"))
                    .anyMatch(l -> l.contains("issue file dropped path=") && l.contains("BAD-1.md"));
        }
    }

    @Test
    void badSizeProperty_isAUsageError() throws Exception {
        Files.writeString(dir.resolve("WORKFLOW.md"), "---\ntracker: {kind: memory}\n---\nWork.\n");
        try (RunnerProcess p = RunnerProcess.start(
                dir,
                Map.of(),
                List.of("-D" + RunnerLogs.MAX_BYTES_PROPERTY + "=lots"),
                RunnerCli.GUARDRAILS,
                "WORKFLOW.md")) {
            assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(p.text()).contains(RunnerLogs.MAX_BYTES_PROPERTY).contains("'lots'");
        }
    }

    private static int number(String line) {
        return Integer.parseInt(line.substring("line=".length(), line.indexOf(' ')));
    }
}
