package dev.orchestra4j.runner;

import static dev.orchestra4j.runner.Fixtures.await;
import static dev.orchestra4j.runner.Fixtures.get;
import static dev.orchestra4j.runner.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: editing WORKFLOW.md takes effect without a restart; a broken edit keeps the last good config. */
final class RunnerReloadTest {

    @TempDir
    Path dir;

    private static String workflow(int intervalMs, String prompt) {
        return "---\ntracker: {kind: file, provider: {path: issues}}\nworkspace: {root: ws}\npolling: {interval_ms: "
                + intervalMs + "}\nagent: {max_turns: 1}\n---\n" + prompt + " {{ issue.identifier }}\n";
    }

    private static void issue(Path issues, String id) throws Exception {
        Files.writeString(issues.resolve(id + ".md"), "---\ntitle: " + id + "\nstate: Todo\n---\nJust hand it off.\n");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void edit_appliesIntervalAndPromptLive_brokenYamlKeepsLastGoodConfig() throws Exception {
        Path issues = Files.createDirectories(dir.resolve("issues"));
        Path file = dir.resolve("WORKFLOW.md");
        Files.writeString(file, workflow(600_000, "OLD-PROMPT"));
        try (RunnerProcess p = RunnerProcess.start(
                dir, Map.of(), RunnerCli.GUARDRAILS, "--port", "0", "--logs-root", "log", "WORKFLOW.md")) {
            String api = p.api();
            issue(issues, "R-1");
            Files.writeString(file, workflow(200, "NEW-PROMPT"));
            await(Duration.ofSeconds(30), "R-1 handed off", () -> state(issues, "R-1")
                    .equals("Human Review"));
            assertThat(sessionLog(api, "R-1")).contains("NEW-PROMPT R-1").doesNotContain("OLD-PROMPT");

            issue(issues, "R-2");
            await(Duration.ofSeconds(20), "R-2 picked up by the 200 ms poll", () -> state(issues, "R-2")
                    .equals("Human Review"));

            Files.writeString(file, "---\ntracker: [broken\n---\nBROKEN\n");
            await(Duration.ofSeconds(20), "the reload error in /api/v1/state", () -> get(api + "/api/v1/state")
                    .body()
                    .path("workflow_error")
                    .asText()
                    .contains("workflow_parse_error"));
            issue(issues, "R-3");
            await(Duration.ofSeconds(20), "R-3 handled with the last good config", () -> state(issues, "R-3")
                    .equals("Human Review"));
            assertThat(sessionLog(api, "R-3")).contains("NEW-PROMPT R-3");
            assertThat(Files.readString(dir.resolve("log/orchestra4j-runner.log")))
                    .contains("workflow reload failed")
                    .contains("outcome=kept_last_good");
        }
    }

    private String sessionLog(String api, String id) throws Exception {
        JsonNode logs = get(api + "/api/v1/" + id).body().path("logs").path("codex_session_logs");
        return Files.readString(Path.of(logs.get(0).path("path").asText()));
    }
}
