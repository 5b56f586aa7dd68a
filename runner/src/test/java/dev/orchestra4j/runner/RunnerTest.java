package dev.orchestra4j.runner;

import static dev.orchestra4j.runner.Fixtures.await;
import static dev.orchestra4j.runner.Fixtures.comments;
import static dev.orchestra4j.runner.Fixtures.get;
import static dev.orchestra4j.runner.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runner embedded in this JVM, on the demo fixture: the coding-run topology and the proof-of-work gate. */
final class RunnerTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void demo_everyIssueReachesHandoff_oneAfterFailingTheGateOnce() throws Exception {
        Path demo = Fixtures.demo(dir.resolve("demo"));
        Path issues = demo.resolve("issues");
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (Runner runner = Runner.builder()
                .workflow(demo.resolve("WORKFLOW.md"))
                .logsRoot(dir.resolve("log"))
                .meterRegistry(registry)
                .port(0)
                .start()) {
            String api = runner.url().orElseThrow();
            await(
                    Duration.ofSeconds(60),
                    "every issue in Human Review",
                    () -> List.of("DEMO-1", "DEMO-2", "DEMO-3").stream().allMatch(id -> {
                        try {
                            return state(issues, id).equals("Human Review");
                        } catch (Exception e) {
                            return false;
                        }
                    }));

            List<String> failing = comments(issues, "DEMO-2");
            assertThat(failing).hasSize(2);
            assertThat(failing.get(0)).contains("Proof of work: failed").contains("FAIL notes/farewell.txt");
            assertThat(failing.get(1)).contains("Proof of work: passed");
            assertThat(comments(issues, "DEMO-1")).singleElement().asString().contains("Proof of work: passed");

            Path workspace = demo.resolve(".work/workspaces/DEMO-2");
            assertThat(workspace.resolve("notes/farewell.txt")).hasContent("Goodbye for now!");
            assertThat(Files.readString(workspace.resolve("WALKTHROUGH.md"))).contains("DEMO-2");

            JsonNode view = get(api + "/api/v1/DEMO-2").body();
            assertThat(view.path("proof")).hasSize(2);
            assertThat(view.path("proof").get(0).path("passed").asBoolean()).isFalse();
            assertThat(view.path("proof").get(1).path("passed").asBoolean()).isTrue();
            assertThat(view.path("workspace").path("path").asText()).endsWith("DEMO-2");

            assertThat(registry.counter("runner.proof", "outcome", "failed").count())
                    .isEqualTo(1);
            assertThat(registry.counter("runner.proof", "outcome", "passed").count())
                    .isEqualTo(3);
            assertThat(registry.counter("runner.dispatches", "outcome", "started")
                            .count())
                    .isGreaterThanOrEqualTo(3);
            assertThat(registry.find("orchestra.steps").counters()).isNotEmpty();
        }
    }

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
