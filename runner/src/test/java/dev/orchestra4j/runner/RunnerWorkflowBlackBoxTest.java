package dev.orchestra4j.runner;

import static dev.orchestra4j.runner.Fixtures.await;
import static dev.orchestra4j.runner.Fixtures.get;
import static dev.orchestra4j.runner.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box, like {@link RunnerBlackBoxTest}: WORKFLOW.md settings (workspace root resolution, prompt filters, required
 * labels, a disabled stall timeout) observed on a runner process through {@code /api/v1}, its log and the files. Ticks
 * are counted in the log: the issue directory holds {@code TICK.md}, a file without a title, which the file tracker
 * drops with a warning on every read (at most two reads a tick: the refresh of running issues and the candidate fetch).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class RunnerWorkflowBlackBoxTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DROPPED = "issue file dropped path=";

    @TempDir
    Path dir;

    private Path issues;
    private Path shared;
    private RunnerProcess runner;
    private String api;

    @BeforeEach
    void setUp() throws IOException {
        issues = Files.createDirectories(dir.resolve("issues"));
        shared = Files.createDirectories(dir.resolve("shared"));
        write(issues.resolve("TICK.md"), "---\nstate: Todo\n---\nno title: dropped on every read\n");
        try (InputStream script = getClass().getResourceAsStream("/fake-codex.sh")) {
            Files.copy(script, dir.resolve("fake-codex.sh"));
        }
    }

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
    }

    // ------------------------------------------------------------------ workspace.root

    @Test
    void workspaceRoot_relativeResolvesAgainstTheWorkflowDirectory_notTheWorkingDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        assertWorkspaceAt("ws", elsewhere, Map.of(), dir.resolve("ws"));
        assertThat(elsewhere.resolve("ws")).doesNotExist();
    }

    @Test
    void workspaceRoot_tildeExpandsToTheHomeOfTheRunnerProcess() throws Exception {
        Path home = Files.createDirectories(dir.resolve("user-home"));
        assertWorkspaceAt("~/ws", dir, Map.of("HOME", home.toString()), home.resolve("ws"));
    }

    @Test
    void workspaceRoot_varResolvesFromTheRunnerEnvironment() throws Exception {
        Path root = dir.resolve("from-env");
        assertWorkspaceAt("$RUNNER_TEST_WS", dir, Map.of("RUNNER_TEST_WS", root.toString()), root);
    }

    private void assertWorkspaceAt(String root, Path workingDirectory, Map<String, String> env, Path expected)
            throws Exception {
        issue("W-1", "state: Todo\n", "SCENARIO=handoff");
        start(workingDirectory, env, root, "agent: {kind: codex, max_turns: 1}\n", "{{ issue.description }}\n");

        await(WAIT, "W-1 handed off", () -> state(issues, "W-1").equals("Human Review"));
        Path workspace = expected.resolve("W-1");
        assertThat(workspace.resolve("agent-cwd.txt"))
                .as("the agent ran in <root>/W-1")
                .content()
                .isEqualToIgnoringNewLines(workspace.toString());
        assertThat(get(api + "/api/v1/W-1")
                        .body()
                        .path("workspace")
                        .path("path")
                        .asText())
                .isEqualTo(workspace.toString());
    }

    // ------------------------------------------------------------------ prompt

    @Test
    void prompt_unknownFilter_failsTheAttemptWithTemplateRenderError_andTheServiceStaysUp() throws Exception {
        issue("F-1", "state: Todo\n", "SCENARIO=handoff");
        start(
                dir,
                Map.of(),
                "ws",
                "agent: {kind: codex, max_turns: 1, max_retry_backoff_ms: 500}\n",
                "{{ issue.description | no_such_filter }}\n");

        await(
                WAIT,
                "F-1's attempt failing to render",
                () -> stateDoc().path("retrying").size() == 1);
        JsonNode retry = stateDoc().path("retrying").get(0);
        assertThat(retry.path("issue_identifier").asText()).isEqualTo("F-1");
        assertThat(retry.path("error").asText()).contains("template_render_error");
        assertThat(dir.resolve("log/orchestra4j-runner.log")).content().contains("template_render_error");
        assertThat(shared.resolve("starts.log")).as("the agent never started").doesNotExist();

        // the service is up: it keeps retrying, and once the prompt is fixed (hot reload) the next attempt runs
        await(
                WAIT,
                "a second failed attempt",
                () -> get(api + "/api/v1/F-1")
                                .body()
                                .path("attempts")
                                .path("current_retry_attempt")
                                .asInt()
                        >= 2);
        assertThat(runner.process.isAlive()).isTrue();
        rewriteWorkflow("{{ issue.description | no_such_filter }}", "{{ issue.description | strip }}");
        await(WAIT, "F-1 handed off after the fix", () -> state(issues, "F-1").equals("Human Review"));
        assertThat(Files.readString(dir.resolve("ws/F-1/prompts.log"))).contains("SCENARIO=handoff");
    }

    // ------------------------------------------------------------------ required_labels

    @Test
    void requiredLabels_matchCaseInsensitively_andABlankConfiguredLabelMatchesNothing() throws Exception {
        issue("L-1", "state: Todo\nlabels: [AGENT]\n", "SCENARIO=handoff");
        issue("L-2", "state: Todo\nlabels: [Backend]\n", "SCENARIO=handoff");
        start(dir, Map.of(), "ws", "agent: {kind: codex, max_turns: 1}\n", "{{ issue.description }}\n");

        await(WAIT, "L-1 (labelled AGENT) handed off", () -> state(issues, "L-1")
                .equals("Human Review"));
        awaitTicks(3);
        assertThat(get(api + "/api/v1/L-2").status())
                .as("L-2 lacks the label: never dispatched")
                .isEqualTo(404);

        rewriteWorkflow("required_labels: [Agent]", "required_labels: [\" \"]");
        issue("L-3", "state: Todo\nlabels: [agent, \"\"]\n", "SCENARIO=handoff");
        awaitTicks(5);
        assertThat(get(api + "/api/v1/L-3").status())
                .as("a blank required label matches nothing, not even a blank issue label")
                .isEqualTo(404);
        assertThat(firstColumn()).containsExactly("L-1");

        // the control: the blank label was all that kept L-3 back
        rewriteWorkflow("required_labels: [\" \"]", "required_labels: [Agent]");
        await(WAIT, "L-3 handed off", () -> state(issues, "L-3").equals("Human Review"));
        assertThat(firstColumn()).containsExactly("L-1", "L-3");
    }

    // ------------------------------------------------------------------ stall_timeout_ms: 0

    @Test
    void stallTimeoutZero_neverKillsASilentAgent_whileAPositiveOneDoes() throws Exception {
        issue("S-1", "state: Todo\n", "SCENARIO=hang");
        start(
                dir,
                Map.of(),
                "ws",
                "  stall_timeout_ms: 0\nagent: {kind: codex, max_turns: 1}\n",
                "{{ issue.description }}\n");
        await(WAIT, "S-1's agent hanging, silent", () -> Files.exists(shared.resolve("running/S-1")));
        long pid =
                Long.parseLong(Files.readString(dir.resolve("ws/S-1/agent.pid")).strip());
        long silentSince = System.nanoTime();

        // many ticks, and longer silence than the 1 s timeout below kills within
        awaitTicks(15);
        await(
                WAIT,
                "2 s of silence",
                () -> System.nanoTime() - silentSince > Duration.ofSeconds(2).toNanos());
        awaitTicks(3);
        JsonNode running = stateDoc().path("running");
        assertThat(running).hasSize(1);
        assertThat(running.get(0).path("issue_identifier").asText()).isEqualTo("S-1");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
        assertThat(log()).doesNotContain("stalled");

        // the control: the same silent agent under a positive timeout is killed by the next ticks
        rewriteWorkflow("stall_timeout_ms: 0", "stall_timeout_ms: 1000");
        await(WAIT, "S-1 stalled", () -> get(api + "/api/v1/S-1")
                .body()
                .path("last_error")
                .asText("")
                .startsWith("stalled"));
        await(WAIT, "the stalled agent's process gone", () -> !ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive)
                .orElse(false));
    }

    // ------------------------------------------------------------------ helpers

    private void start(Path workingDirectory, Map<String, String> env, String root, String rest, String prompt)
            throws Exception {
        Files.writeString(
                dir.resolve("WORKFLOW.md"),
                "---\ntracker:\n  kind: file\n  provider: {path: " + issues + "}\n  required_labels: [Agent]\n"
                        + "workspace: {root: \"" + root
                        + "\"}\npolling: {interval_ms: 100}\ncodex:\n  command: \"bash '"
                        + dir.resolve("fake-codex.sh") + "'\"\n  read_timeout_ms: 20000\n" + rest + "---\n"
                        + prompt);
        Map<String, String> all = new HashMap<>(env);
        all.put("FAKE_SHARED", shared.toString());
        all.put("FAKE_ISSUES", issues.toString());
        runner = RunnerProcess.start(
                workingDirectory,
                all,
                RunnerCli.GUARDRAILS,
                "--port",
                "0",
                "--logs-root",
                dir.resolve("log").toString(),
                dir.resolve("WORKFLOW.md").toString());
        api = runner.api();
    }

    /** Every issue carries the {@code Agent} label unless the front matter says otherwise. */
    private void issue(String id, String frontMatter, String body) throws IOException {
        String labels = frontMatter.contains("labels:") ? "" : "labels: [Agent]\n";
        write(issues.resolve(id + ".md"), "---\ntitle: " + id + "\n" + frontMatter + labels + "---\n" + body + "\n");
    }

    private static void write(Path file, String text) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Edits WORKFLOW.md and waits until the runner has applied it. */
    private void rewriteWorkflow(String from, String to) throws Exception {
        Path file = dir.resolve("WORKFLOW.md");
        String text = Files.readString(file);
        assertThat(text).contains(from);
        int applied = count(log(), "workflow reloaded");
        write(file, text.replace(from, to));
        await(WAIT, "the workflow edit applied", () -> count(log(), "workflow reloaded") > applied);
        assertThat(log()).doesNotContain("workflow reload failed");
    }

    /** Waits until the runner has polled at least {@code ticks} more times. */
    private void awaitTicks(int ticks) throws Exception {
        int start = count(log(), DROPPED);
        await(WAIT, ticks + " ticks", () -> count(log(), DROPPED) >= start + 2 * ticks + 2);
    }

    private JsonNode stateDoc() throws Exception {
        return get(api + "/api/v1/state").body();
    }

    private List<String> firstColumn() throws IOException {
        return Files.readAllLines(shared.resolve("starts.log")).stream()
                .map(l -> l.split(" ")[0])
                .distinct()
                .toList();
    }

    private String log() throws IOException {
        Path log = dir.resolve("log/orchestra4j-runner.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }
}
