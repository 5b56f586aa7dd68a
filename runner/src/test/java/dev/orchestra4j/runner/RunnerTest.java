package dev.orchestra4j.runner;

import static dev.orchestra4j.runner.Fixtures.await;
import static dev.orchestra4j.runner.Fixtures.get;
import static dev.orchestra4j.runner.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runner embedded in this JVM, on the demo fixture: the coding-run topology and the proof-of-work gate. */
final class RunnerTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void topologyFile_rewiresTheBuiltInRoles() throws Exception {
        Path demo = Fixtures.demo(dir.resolve("demo"));
        Path issues = demo.resolve("issues");
        Files.delete(issues.resolve("DEMO-2.md"));
        Files.delete(issues.resolve("DEMO-3.md"));
        Files.writeString(
                demo.resolve("no-planner.yaml"),
                "agents: [Implementer, Reviewer]\nflows:\n  - Start -> Implementer\n  - Implementer -> Reviewer\n"
                        + "  - Reviewer -> End\n");
        Path workflow = demo.resolve("WORKFLOW.md");
        Files.writeString(
                workflow, Files.readString(workflow).replace("topology: coding-run", "topology: no-planner.yaml"));
        try (Runner runner = Runner.builder()
                .workflow(workflow)
                .logsRoot(dir.resolve("log"))
                .port(0)
                .start()) {
            String api = runner.url().orElseThrow();
            await(Duration.ofSeconds(30), "DEMO-1 in Human Review", () -> state(issues, "DEMO-1")
                    .equals("Human Review"));
            JsonNode logs = get(api + "/api/v1/DEMO-1").body().path("logs").path("codex_session_logs");
            String log = Files.readString(Path.of(logs.get(0).path("path").asText()));
            assertThat(log).contains("step_started: Implementer").doesNotContain("step_started: Planner");
        }
    }

    @Test
    void topologyFile_withUnknownAgents_refusesToStart() throws Exception {
        Path demo = Fixtures.demo(dir.resolve("demo"));
        Files.writeString(
                demo.resolve("odd.yaml"), "agents: [Hacker]\nflows: [\"Start -> Hacker\", \"Hacker -> End\"]\n");
        Path workflow = demo.resolve("WORKFLOW.md");
        Files.writeString(workflow, Files.readString(workflow).replace("topology: coding-run", "topology: odd.yaml"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Runner.builder()
                        .workflow(workflow)
                        .logsRoot(dir.resolve("log"))
                        .start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[Hacker]");
    }
}
