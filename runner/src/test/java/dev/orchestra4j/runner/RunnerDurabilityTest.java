package dev.orchestra4j.runner;

import static dev.orchestra4j.runner.Fixtures.await;
import static dev.orchestra4j.runner.Fixtures.get;
import static dev.orchestra4j.runner.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: a runner killed with SIGKILL in the middle of a session resumes the same session after a restart, from
 * its last saved step; completed steps do not run again, and {@code /api/v1/<id>} says it was resumed.
 */
final class RunnerDurabilityTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killNine_midRun_restartResumesSameSessionWithoutRepeatingCompletedSteps() throws Exception {
        Path issues = Files.createDirectories(dir.resolve("issues"));
        Files.writeString(dir.resolve("WORKFLOW.md"), """
                ---
                tracker:
                  kind: file
                  provider: {path: issues, token: $RUNNER_TEST_SECRET}
                workspace: {root: ws}
                polling: {interval_ms: 300}
                agent: {max_turns: 1}
                proof_of_work:
                  gated_states: [Human Review]
                  commands: ["env > env.txt; pwd > pwd.txt; touch started; while [ ! -f go ]; do sleep 0.05; done"]
                  required_files: [WALKTHROUGH.md]
                ---
                Do {{ issue.identifier }}.
                """);
        Files.writeString(
                issues.resolve("K-1.md"),
                "---\ntitle: Crash me\nstate: Todo\n---\nWrite a note.\n\n```file notes/a.txt\nhello!\n```\n");
        Path workspace = dir.resolve("ws").resolve("K-1");
        Map<String, String> env = Map.of("RUNNER_TEST_SECRET", "hunter2-secret");
        String[] args = {
            RunnerCli.GUARDRAILS,
            "--port",
            "0",
            "--logs-root",
            dir.resolve("log").toString(),
            "WORKFLOW.md"
        };

        String sessionBefore;
        try (RunnerProcess first = RunnerProcess.start(dir, env, args)) {
            String api = first.api();
            await(
                    Duration.ofSeconds(60),
                    "the Implementer inside its proof command",
                    () -> Files.exists(workspace.resolve("started")));
            sessionBefore = get(api + "/api/v1/K-1")
                    .body()
                    .path("running")
                    .path("session_id")
                    .asText();
            first.kill9();
            assertThat(first.process.exitValue()).isEqualTo(137);
        }
        Files.delete(workspace.resolve("started"));

        try (RunnerProcess second = RunnerProcess.start(dir, env, args)) {
            String api = second.api();
            await(
                    Duration.ofSeconds(60),
                    "the resumed session inside its proof command",
                    () -> Files.exists(workspace.resolve("started")));
            JsonNode view = get(api + "/api/v1/K-1").body();
            assertThat(view.path("attempts").path("resumed").asBoolean()).isTrue();
            assertThat(view.path("running").path("session_id").asText()).isEqualTo(sessionBefore);

            Files.writeString(workspace.resolve("go"), "");
            await(Duration.ofSeconds(60), "K-1 in Human Review", () -> state(issues, "K-1")
                    .equals("Human Review"));

            List<String> log = Files.readAllLines(dir.resolve("log/sessions").resolve(sessionBefore + ".log"));
            assertThat(log.stream()
                            .filter(l -> l.contains("step_started: Planner"))
                            .count())
                    .as("the Planner step completed before the kill and must not run again")
                    .isEqualTo(1);
            assertThat(log.stream()
                            .filter(l -> l.contains("step_started: Implementer"))
                            .count())
                    .as("the Implementer step was in flight at the kill and runs again")
                    .isEqualTo(2);
            assertThat(log.stream()
                            .filter(l -> l.contains("step_started: Reviewer"))
                            .count())
                    .isEqualTo(1);
            assertThat(get(api + "/api/v1/K-1").body().path("logs").path("codex_session_logs"))
                    .hasSize(1);
        }
        assertThat(Files.readString(workspace.resolve("pwd.txt")).strip())
                .isEqualTo(workspace.toRealPath().toString());
        assertThat(Files.readString(workspace.resolve("env.txt"))).doesNotContain("RUNNER_TEST_SECRET");
    }
}
