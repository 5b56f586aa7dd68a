package dev.orchestra4j.runner;

import static dev.orchestra4j.runner.Fixtures.get;
import static dev.orchestra4j.runner.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
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

/** Black-box: {@code orchestra4j-runner} started as a process, observed through its exit code, output and HTTP. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class RunnerCliTest {

    /** Minimal, with an unknown top-level key that must be ignored. */
    private static final String MINIMAL =
            "---\ntracker: {kind: memory}\nworkspace: {root: ws}\nsome_extension: {of: someone else}\n---\nWork.\n";

    @TempDir
    Path dir;

    private RunnerProcess start(String... args) throws Exception {
        List<String> all = new ArrayList<>(
                List.of(RunnerCli.GUARDRAILS, "--logs-root", dir.resolve("log").toString()));
        all.addAll(List.of(args));
        return RunnerProcess.start(dir, Map.of(), all.toArray(String[]::new));
    }

    @Test
    void missingWorkflow_exitsNonZeroNamingTheCode() throws Exception {
        try (RunnerProcess p = start(dir.resolve("nope.md").toString())) {
            assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(p.text()).contains("missing_workflow_file").contains("nope.md");
        }
    }

    @Test
    void noArgument_usesWorkflowInWorkingDirectory() throws Exception {
        try (RunnerProcess p = start()) {
            assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(p.text())
                    .contains("missing_workflow_file")
                    .contains(dir.resolve("WORKFLOW.md").toString());
        }
        Files.writeString(dir.resolve("WORKFLOW.md"), MINIMAL);
        try (RunnerProcess p = start("--port", "0")) {
            assertThat(p.api()).startsWith("http://127.0.0.1:");
            assertThat(p.text()).contains("workflow=" + dir.resolve("WORKFLOW.md"));
        }
    }

    @Test
    void frontMatterListOrBrokenYaml_doesNotBoot() throws Exception {
        Files.writeString(dir.resolve("list.md"), "---\n- a\n---\nbody\n");
        Files.writeString(dir.resolve("broken.md"), "---\ntracker: [kind\n---\nbody\n");
        Files.writeString(dir.resolve("kind.md"), "---\ntracker: {kind: nope}\n---\nbody\n");
        Files.writeString(
                dir.resolve("secret.md"),
                "---\ntracker: {kind: github, provider: {repository: a/b, token: $RUNNER_TEST_EMPTY}}\n---\nbody\n");
        for (String[] c : new String[][] {
            {"list.md", "workflow_front_matter_not_a_map"},
            {"broken.md", "workflow_parse_error"},
            {"kind.md", "unsupported_tracker_kind"},
            {"secret.md", "missing_tracker_secret"}
        }) {
            try (RunnerProcess p = RunnerProcess.start(
                    dir,
                    Map.of("RUNNER_TEST_EMPTY", "", "GITHUB_TOKEN", ""),
                    RunnerCli.GUARDRAILS,
                    "--logs-root",
                    dir.resolve("log").toString(),
                    dir.resolve(c[0]).toString())) {
                assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(1);
                assertThat(p.text()).contains(c[1]);
            }
        }
    }

    @Test
    void withoutGuardrailsAcknowledgement_refusesToStart() throws Exception {
        Files.writeString(dir.resolve("WORKFLOW.md"), MINIMAL);
        try (RunnerProcess p = RunnerProcess.start(dir, Map.of(), "WORKFLOW.md")) {
            assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(p.text()).contains(RunnerCli.GUARDRAILS);
        }
    }

    @Test
    void sigterm_isACleanShutdownWithExitZero() throws Exception {
        Files.writeString(dir.resolve("WORKFLOW.md"), MINIMAL);
        try (RunnerProcess p = start("--port", "0", "WORKFLOW.md")) {
            p.api();
            p.process.destroy();
            assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void http_loopbackPortStateShapeErrorsAndRefresh() throws Exception {
        Files.writeString(dir.resolve("WORKFLOW.md"), MINIMAL);
        try (RunnerProcess p = start("--port", "0", "WORKFLOW.md")) {
            String api = p.api();
            assertThat(URI.create(api).getHost()).isEqualTo("127.0.0.1");

            JsonNode state = get(api + "/api/v1/state").body();
            List<String> keys = new ArrayList<>();
            state.fieldNames().forEachRemaining(keys::add);
            assertThat(keys)
                    .containsExactlyInAnyOrder(
                            "generated_at", "counts", "running", "retrying", "blocked", "codex_totals", "rate_limits");

            Fixtures.Response missing = get(api + "/api/v1/NOPE-1");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.body().path("error").path("code").asText()).isEqualTo("issue_not_found");

            Fixtures.Response refresh = post(api + "/api/v1/refresh", "{}");
            assertThat(refresh.status()).isEqualTo(202);
            assertThat(refresh.body().path("queued").asBoolean()).isTrue();
            assertThat(refresh.body().path("operations").toString()).isEqualTo("[\"poll\",\"reconcile\"]");

            java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(URI.create(api + "/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("runner_retries_total").contains("runner_dispatches_total");

            Fixtures.Response wrong = get(api + "/api/v1/refresh");
            assertThat(wrong.status()).isEqualTo(405);
            assertThat(wrong.body().path("error").path("code").asText()).isEqualTo("method_not_allowed");
        }
    }
}
