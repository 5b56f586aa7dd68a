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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: each test writes a {@code WORKFLOW.md} and file-tracker issues, starts {@code orchestra4j-runner} as its
 * own process with {@code agent.kind: codex} on a scripted app server ({@code fake-codex.sh}), and observes only what
 * a user sees: {@code /api/v1}, the runner's log, the workspaces, hook side effects and the issue files. Nothing waits
 * by sleeping: every wait polls the API or the files until a condition holds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class RunnerBlackBoxTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path issues;
    private Path shared;
    private Path ws;
    private RunnerProcess runner;
    private String api;
    private String codexExtra = "";
    private String prompt = "{{ issue.identifier }}{% if attempt %} attempt={{ attempt }}{% endif %}"
            + " {{ issue.description }}{% for l in issue.labels %} [{{ l }}]{% endfor %}\n";

    @BeforeEach
    void setUp() throws IOException {
        issues = Files.createDirectories(dir.resolve("issues"));
        shared = Files.createDirectories(dir.resolve("shared"));
        ws = dir.resolve("ws");
        try (InputStream script = getClass().getResourceAsStream("/fake-codex.sh")) {
            Files.copy(script, dir.resolve("fake-codex.sh"));
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        Path log = dir.resolve("log/orchestra4j-runner.log");
        if (System.getenv("RUNNER_TEST_DUMP_LOG") != null && Files.exists(log)) {
            System.out.println(Files.readString(log));
        }
        if (runner != null) {
            runner.close();
        }
    }

    // ------------------------------------------------------------------ dispatch

    @Test
    void dispatch_followsPriorityThenCreatedAtThenIdentifier() throws Exception {
        issue("A-9", "state: Todo\npriority: 1\n", "SCENARIO=handoff");
        issue("A-3", "state: Todo\npriority: 3\ncreated_at: \"2026-01-05T00:00:00Z\"\n", "SCENARIO=handoff");
        issue("A-2", "state: Todo\npriority: 3\ncreated_at: \"2026-01-05T00:00:00Z\"\n", "SCENARIO=handoff");
        issue("A-5", "state: Todo\npriority: 7\ncreated_at: \"2026-01-01T00:00:00Z\"\n", "SCENARIO=handoff");
        issue("A-1", "state: Todo\ncreated_at: \"2026-01-02T00:00:00Z\"\n", "SCENARIO=handoff");
        issue("A-4", "state: Todo\n", "SCENARIO=handoff");
        issue("B-1", "state: Todo\npriority: 1\nblocked_by: [A-4]\n", "SCENARIO=handoff");
        start("", "agent: {kind: codex, max_turns: 1, max_concurrent_agents: 1}\n");

        awaitStates("Human Review", "A-9", "A-3", "A-2", "A-5", "A-1", "A-4");

        List<String> expected = List.of("A-9", "A-2", "A-3", "A-5", "A-1", "A-4");
        assertThat(firstColumn(Files.readAllLines(shared.resolve("starts.log"))))
                .containsExactlyElementsOf(expected);
        List<String> dispatched = new ArrayList<>();
        Matcher m = Pattern.compile("dispatch issue_id=\\S+ issue_identifier=(\\S+)")
                .matcher(log());
        while (m.find()) {
            dispatched.add(m.group(1));
        }
        assertThat(dispatched).containsExactlyElementsOf(expected);
        assertThat(state(issues, "B-1"))
                .as("blocked by A-4, which never reached a terminal state: not dispatchable")
                .isEqualTo("Todo");
        assertThat(get(api + "/api/v1/B-1").status()).isEqualTo(404);
    }

    @Test
    void slots_globalLimit_neverMoreThanTwoAtOnce() throws Exception {
        for (int i = 1; i <= 5; i++) {
            issue("G-" + i, "state: Todo\n", "SCENARIO=hang");
        }
        start("", "agent: {kind: codex, max_turns: 1, max_concurrent_agents: 2}\n");

        for (int left = 5; left > 0; left--) {
            int expected = Math.min(2, left);
            await(
                    WAIT,
                    expected + " agents hanging",
                    () -> hanging().size() == expected
                            && stateDoc().path("counts").path("running").asInt() == expected);
            String first = hanging().get(0);
            release(first);
            await(WAIT, first + " handed off", () -> state(issues, first).equals("Human Review"));
        }

        List<Integer> seen = Files.readAllLines(shared.resolve("concurrency.log")).stream()
                .map(l -> Integer.parseInt(l.strip()))
                .toList();
        assertThat(seen).hasSize(5).allMatch(n -> n <= 2).contains(2);
    }

    @Test
    void slots_perStateLimit_countsRunningIssuesByTheirTrackedState() throws Exception {
        for (String id : List.of("T-1", "T-2", "T-3")) {
            issue(id, "state: Todo\n", "SCENARIO=hang");
        }
        for (String id : List.of("P-1", "P-2")) {
            issue(id, "state: In Progress\n", "SCENARIO=hang");
        }
        start(
                "",
                "agent:\n  kind: codex\n  max_turns: 1\n  max_concurrent_agents: 4\n"
                        + "  max_concurrent_agents_by_state: {\" TODO \": 1, \"x\": -1}\n");

        await(
                WAIT,
                "one Todo and both In Progress issues running",
                () -> hanging().size() == 3);
        assertThat(runningStates()).containsExactlyInAnyOrder("Todo", "In Progress", "In Progress");
        String todo =
                hanging().stream().filter(id -> id.startsWith("T-")).findFirst().orElseThrow();

        // the running Todo issue moves to In Progress: its tracked state frees the Todo slot for the next one
        edit(todo, "state: Todo", "state: In Progress");
        await(WAIT, "a second Todo issue dispatched", () -> hanging().size() == 4);
        assertThat(runningStates()).containsExactlyInAnyOrder("Todo", "In Progress", "In Progress", "In Progress");

        for (int released = 0; released < 5; released++) {
            await(WAIT, "an agent hanging", () -> !hanging().isEmpty());
            assertThat(runningStates().stream().filter("Todo"::equals)).hasSizeLessThanOrEqualTo(1);
            String next = hanging().get(0);
            release(next);
            await(WAIT, next + " handed off", () -> state(issues, next).equals("Human Review"));
        }
        awaitStates("Human Review", "T-1", "T-2", "T-3", "P-1", "P-2");
    }

    // ------------------------------------------------------------------ retry

    @Test
    void retry_cleanExitWhileActive_continuesAfterOneSecondWithAttemptOne_neverResendingThePrompt() throws Exception {
        issue("C-1", "state: Todo\nlabels: [Backend, \" Agent \"]\n", "TASK-TEXT");
        start("", "agent: {kind: codex, max_turns: 2}\n");
        Path prompts = ws.resolve("C-1/prompts.log");

        List<Long> continuationDelays = new ArrayList<>();
        await(WAIT, "two worker runs of two turns", () -> {
            JsonNode view = get(api + "/api/v1/C-1").body();
            if (view.path("status").asText().equals("retrying") && continuationDelays.isEmpty()) {
                assertThat(view.path("retry").path("attempt").asInt()).isEqualTo(1);
                assertThat(view.path("retry").path("error").isNull())
                        .as("a continuation, not a failure: %s", view)
                        .isTrue();
                continuationDelays.add(delayOf(view, "completed"));
            }
            return Files.exists(prompts) && Files.readAllLines(prompts).size() >= 4;
        });
        assertThat(continuationDelays)
                .as("the retry scheduled after the clean exit")
                .hasSize(1);
        assertThat(continuationDelays.get(0)).isBetween(990L, 1_050L);

        List<String> sent = Files.readAllLines(prompts);
        assertThat(sent.get(0)).contains("C-1 TASK-TEXT [backend] [agent]").doesNotContain("attempt=");
        assertThat(sent.get(1)).contains("continuation turn #2 of 2").doesNotContain("TASK-TEXT");
        assertThat(sent.get(2)).contains("C-1 attempt=1 TASK-TEXT");
        assertThat(sent.get(3)).contains("continuation turn #2 of 2").doesNotContain("TASK-TEXT");

        JsonNode events = get(api + "/api/v1/C-1").body().path("recent_events");
        Instant completed = null;
        Instant redispatched = null;
        for (JsonNode e : events) {
            if (completed == null && e.path("event").asText().equals("completed")) {
                completed = Instant.parse(e.path("at").asText());
            } else if (completed != null
                    && redispatched == null
                    && e.path("event").asText().equals("dispatched")) {
                redispatched = Instant.parse(e.path("at").asText());
                assertThat(e.path("message").asText()).isEqualTo("attempt=1");
            }
        }
        assertThat(Duration.between(completed, redispatched).toMillis()).isGreaterThanOrEqualTo(1_000L);

        assertThat(Files.readString(ws.resolve("C-1/agent-cwd.txt")).strip())
                .isEqualTo(ws.resolve("C-1").toRealPath().toString());
        assertThat(Files.readString(ws.resolve("C-1/agent-env.txt")))
                .contains("FAKE_SHARED=")
                .doesNotContain("RUNNER_TEST_SECRET");
    }

    @Test
    void retry_failures_backOffTenSecondsThenCappedAtTheConfiguredMaximum() throws Exception {
        issue("F-1", "state: Todo\n", "SCENARIO=fail");
        start("", "agent: {kind: codex, max_turns: 1}\n");

        await(WAIT, "F-1 retrying", () -> stateDoc().path("retrying").size() == 1);
        JsonNode retrying = stateDoc().path("retrying").get(0);
        List<String> keys = new ArrayList<>();
        retrying.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).contains("issue_identifier", "attempt", "due_at", "error");
        assertThat(retrying.path("issue_identifier").asText()).isEqualTo("F-1");
        assertThat(retrying.path("attempt").asInt()).isEqualTo(1);
        assertThat(retrying.path("error").asText()).startsWith("worker exited: turn_failed");
        assertThat(delayOfCurrentRetry("F-1")).isBetween(9_900L, 10_100L);

        rewriteWorkflow("max_turns: 1}", "max_turns: 1, max_retry_backoff_ms: 600}");
        await(WAIT, "the new backoff cap applied", () -> log().contains("outcome=applied"));
        issue("F-2", "state: Todo\n", "SCENARIO=fail");

        Map<Integer, Long> delays = new LinkedHashMap<>();
        await(WAIT, "F-2 at its third retry", () -> {
            JsonNode view = get(api + "/api/v1/F-2").body();
            if (view.path("status").asText().equals("retrying")) {
                delays.putIfAbsent(view.path("retry").path("attempt").asInt(), delayOf(view));
            }
            return delays.containsKey(3);
        });
        assertThat(delays.values()).allSatisfy(ms -> assertThat(ms).isBetween(500L, 700L));
    }

    @Test
    void retry_withNoFreeSlot_isRequeuedWithTheSlotsError() throws Exception {
        issue("N-1", "state: Todo\npriority: 1\n", "SCENARIO=fail");
        issue("N-2", "state: Todo\npriority: 2\n", "SCENARIO=hang");
        start("", "agent: {kind: codex, max_turns: 1, max_concurrent_agents: 1, max_retry_backoff_ms: 500}\n");

        await(WAIT, "N-1 requeued for want of a slot", () -> {
            for (JsonNode r : stateDoc().path("retrying")) {
                if (r.path("issue_identifier").asText().equals("N-1")
                        && r.path("error").asText().equals("no available orchestrator slots")) {
                    return true;
                }
            }
            return false;
        });
        JsonNode running = stateDoc().path("running");
        assertThat(running).hasSize(1);
        assertThat(running.get(0).path("issue_identifier").asText()).isEqualTo("N-2");
    }

    // ------------------------------------------------------------------ reconcile

    @Test
    void reconcile_stateAndLabelChanges_stopTheAgent_removingTheWorkspaceOnlyWhenTerminal() throws Exception {
        issue("Z-9", "state: Done\nlabels: [agent]\n", "finished long ago");
        Files.createDirectories(ws.resolve("Z-9"));
        for (String id : List.of("R-1", "R-2", "R-3")) {
            issue(id, "state: Todo\nlabels: [Agent]\n", "SCENARIO=hang");
        }
        start(
                "  required_labels: [\" agent \"]\n",
                "agent: {kind: codex, max_turns: 1}\nhooks:\n"
                        + "  before_remove: echo \"$(basename \"$PWD\")\" >> \"$FAKE_SHARED/removed.log\"\n");

        await(WAIT, "three agents hanging", () -> hanging().size() == 3);
        assertThat(ws.resolve("Z-9"))
                .as("removed at startup: its issue is terminal")
                .doesNotExist();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String id : List.of("R-1", "R-2", "R-3")) {
            pids.put(
                    id,
                    Long.parseLong(
                            Files.readString(ws.resolve(id + "/agent.pid")).strip()));
        }

        edit("R-1", "state: Todo", "state: Done");
        edit("R-2", "state: Todo", "state: Backlog");
        edit("R-3", "labels: [Agent]", "labels: []");
        long edited = System.nanoTime();
        await(
                WAIT,
                "every agent stopped",
                () -> stateDoc().path("counts").path("running").asInt() == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - edited))
                .as("stopped by the next ticks (100 ms apart; generous for a loaded machine)")
                .isLessThan(Duration.ofSeconds(10));
        await(WAIT, "the agent processes gone", () -> pids.values().stream()
                .noneMatch(
                        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));

        await(WAIT, "R-1's workspace removed", () -> !Files.exists(ws.resolve("R-1")));
        assertThat(Files.readAllLines(shared.resolve("removed.log"))).containsExactly("Z-9", "R-1");
        assertThat(ws.resolve("R-2")).isDirectory();
        assertThat(ws.resolve("R-3")).isDirectory();
        assertThat(stopReason("R-1")).isEqualTo("terminal");
        assertThat(stopReason("R-2")).isEqualTo("inactive");
        assertThat(stopReason("R-3")).isEqualTo("unroutable");
        assertThat(log()).contains("worker stopped issue_id=R-1 issue_identifier=R-1");
    }

    @Test
    void reconcile_aSilentAgentIsKilledAfterTheStallTimeoutAndRetried() throws Exception {
        issue("S-1", "state: Todo\n", "SCENARIO=hang");
        codexExtra = "  stall_timeout_ms: 1500\n";
        start("", "agent: {kind: codex, max_turns: 1}\n");

        await(WAIT, "S-1 stalled and queued for a retry", () -> lastError("S-1").startsWith("stalled"));
        JsonNode view = get(api + "/api/v1/S-1").body();
        assertThat(view.path("status").asText()).isEqualTo("retrying");
        assertThat(view.path("retry").path("attempt").asInt()).isEqualTo(1);
        long pid = Long.parseLong(Files.readString(ws.resolve("S-1/agent.pid")).strip());
        await(WAIT, "the stalled agent's process gone", () -> ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive)
                .orElse(false)
                .equals(false));
    }

    @Test
    void reconcile_trackerRefreshErrors_keepTheWorkerRunning_andTheNextTickTriesAgain() throws Exception {
        issue("E-1", "state: Todo\n", "SCENARIO=hang");
        start("", "agent: {kind: codex, max_turns: 1}\n");
        await(WAIT, "E-1 hanging", () -> hanging().equals(List.of("E-1")));
        long pid = Long.parseLong(Files.readString(ws.resolve("E-1/agent.pid")).strip());

        Path away = dir.resolve("issues-away");
        Files.move(issues, away);
        await(
                WAIT,
                "several failed refreshes",
                () -> log().split("reconcile refresh failed outcome=kept_workers", -1).length > 3);
        assertThat(stateDoc().path("running").get(0).path("issue_identifier").asText())
                .isEqualTo("E-1");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);

        Files.move(away, issues);
        release("E-1");
        await(WAIT, "E-1 handed off once the tracker answers again", () -> state(issues, "E-1")
                .equals("Human Review"));
        assertThat(Files.readAllLines(shared.resolve("starts.log"))).containsExactly("E-1 hang");
    }

    @Test
    void prompt_renderError_failsTheAttemptWithTemplateRenderError_andIsRetriedWhileTheServiceStaysUp()
            throws Exception {
        issue("X-1", "state: Todo\n", "SCENARIO=handoff");
        prompt = "Work on {{ issue.nope }}\n";
        start("", "agent: {kind: codex, max_turns: 1}\n");
        await(WAIT, "X-1 failing to render", () -> lastError("X-1").contains("template_render_error"));

        JsonNode view = get(api + "/api/v1/X-1").body();
        assertThat(view.path("status").asText()).isEqualTo("retrying");
        assertThat(view.path("retry").path("error").asText()).contains("template_render_error");
        assertThat(delayOf(view)).as("the failure backoff").isBetween(9_900L, 10_100L);
        assertThat(stateDoc().path("counts").path("retrying").asInt()).isEqualTo(1);
        assertThat(shared.resolve("starts.log")).as("the agent never started").doesNotExist();
    }

    // ------------------------------------------------------------------ workspaces and hooks

    @Test
    void hooks_runWithTheirFailureSemantics_andATimedOutHookIsKilledWithItsOutputTruncated() throws Exception {
        issue("H-1", "state: Todo\n", "SCENARIO=fail");
        issue("H-2", "state: Todo\n", "never runs: after_create fails");
        issue("H-3", "state: Todo\n", "never runs: before_run fails");
        issue("H-4", "state: Todo\n", "never runs: before_run times out");
        start("", """
                agent: {kind: codex, max_turns: 1, max_retry_backoff_ms: 300}
                hooks:
                  timeout_ms: 1000
                  after_create: |
                    echo created >> "$FAKE_SHARED/$(basename "$PWD").created"
                    case "$(basename "$PWD")" in H-2) echo partial > partial.txt; exit 3;; esac
                  before_run: |
                    case "$(basename "$PWD")" in
                      H-3) exit 4;;
                      H-4) head -c 5000 /dev/zero | tr '\\0' x; sleep 30;;
                    esac
                  after_run: |
                    echo ran >> "$FAKE_SHARED/$(basename "$PWD").after_run"
                    case "$(basename "$PWD")" in H-1|H-3) echo after_run broke; exit 5;; esac
                """);

        await(
                WAIT,
                "H-1 failed three times",
                () -> get(api + "/api/v1/H-1")
                                .body()
                                .path("attempts")
                                .path("current_retry_attempt")
                                .asInt()
                        >= 3);
        assertThat(Files.readAllLines(shared.resolve("H-1.created")))
                .as("after_create runs once per issue, across retries")
                .hasSize(1);
        assertThat(Files.readAllLines(shared.resolve("H-1.after_run"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lastError("H-1")).as("after_run's failure is only logged").startsWith("turn_failed");
        assertThat(log()).contains("hook failed hook=after_run issue_identifier=H-1 outcome=failed exit_code=5");

        await(WAIT, "H-2's after_create failure", () -> lastError("H-2").startsWith("after_create hook failed"));
        // H-2 is retried (backoff 300 ms): each retry creates the workspace again for its after_create, so the
        // directory exists for a moment in every attempt; removed, it is absent between attempts (never, if it stayed)
        await(WAIT, "the partial workspace is removed", () -> !Files.exists(ws.resolve("H-2")));

        await(WAIT, "H-3's before_run failure", () -> lastError("H-3").startsWith("before_run hook failed"));
        assertThat(lastError("H-3")).contains("exit code 4");
        assertThat(shared.resolve("H-3.after_run"))
                .as("after_run follows a failed attempt")
                .exists();

        await(WAIT, "H-4's before_run timeout", () -> lastError("H-4").startsWith("before_run hook failed"));
        assertThat(lastError("H-4")).contains("timed out");
        Matcher line = Pattern.compile("hook failed hook=before_run issue_identifier=H-4 outcome=timed_out exit_code=-1"
                        + " duration_ms=(\\d+) output=\"(x*)\\.\\.\\. \\(truncated\\)\"")
                .matcher(log());
        assertThat(line.find()).as("the timeout log line").isTrue();
        assertThat(Long.parseLong(line.group(1)))
                .as("killed at the timeout, not after sleep 30")
                .isLessThan(5_000);
        assertThat(line.group(2)).hasSize(2048);

        assertThat(Files.readAllLines(shared.resolve("starts.log")))
                .as("the agent never ran for an issue whose hooks failed")
                .allMatch(l -> l.startsWith("H-1 "));
    }

    // ------------------------------------------------------------------ proof of work

    @Test
    void proofGate_demo_everyIssueReachesHandoff_oneAfterTheGateRefusedItOnce() throws Exception {
        Path demo = Fixtures.demo(dir.resolve("demo"));
        Path demoIssues = demo.resolve("issues");
        runner = RunnerProcess.start(
                demo, Map.of(), RunnerCli.GUARDRAILS, "--port", "0", "--logs-root", "log", "WORKFLOW.md");
        api = runner.api();

        await(WAIT, "every demo issue in Human Review", () -> {
            for (String id : List.of("DEMO-1", "DEMO-2", "DEMO-3")) {
                if (!state(demoIssues, id).equals("Human Review")) {
                    return false;
                }
            }
            return true;
        });

        List<String> evidence = Fixtures.comments(demoIssues, "DEMO-2");
        assertThat(evidence).hasSize(2);
        assertThat(evidence.get(0)).contains("Proof of work: failed").contains("FAIL notes/farewell.txt");
        assertThat(evidence.get(1)).contains("Proof of work: passed");
        assertThat(Fixtures.comments(demoIssues, "DEMO-1"))
                .singleElement()
                .asString()
                .contains("Proof of work: passed");
        Path workspace = demo.resolve(".work/workspaces/DEMO-2");
        assertThat(workspace.resolve("notes/farewell.txt")).hasContent("Goodbye for now!");
        assertThat(Files.readString(workspace.resolve("WALKTHROUGH.md"))).contains("DEMO-2");

        JsonNode view = get(api + "/api/v1/DEMO-2").body();
        assertThat(view.path("proof")).hasSize(2);
        assertThat(view.path("proof").get(0).path("passed").asBoolean()).isFalse();
        assertThat(view.path("proof").get(1).path("passed").asBoolean()).isTrue();
        assertThat(view.path("workspace").path("path").asText()).endsWith("DEMO-2");

        String metrics = new String(
                java.net.URI.create(api + "/metrics").toURL().openStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(metric(metrics, "runner_proof_total", "outcome=\"failed\"")).isEqualTo(1.0);
        assertThat(metric(metrics, "runner_proof_total", "outcome=\"passed\"")).isEqualTo(3.0);
        assertThat(metric(metrics, "runner_dispatches_total", "outcome=\"started\""))
                .isGreaterThanOrEqualTo(3.0);
        assertThat(metrics).contains("orchestra_steps");
    }

    private static double metric(String text, String name, String label) {
        return text.lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    // ------------------------------------------------------------------ operator input

    @Test
    void question_blocksTheIssue_andRespondContinuesTheSameSession() throws Exception {
        Path demo = Fixtures.demo(dir.resolve("demo"));
        Path demoIssues = demo.resolve("issues");
        Files.delete(demoIssues.resolve("DEMO-2.md"));
        Files.delete(demoIssues.resolve("DEMO-3.md"));
        write(
                demoIssues.resolve("DEMO-1.md"),
                Files.readString(demoIssues.resolve("DEMO-1.md")) + "\nQuestion: Formal or casual greeting?\n");
        runner = RunnerProcess.start(
                demo, Map.of(), RunnerCli.GUARDRAILS, "--port", "0", "--logs-root", "log", "WORKFLOW.md");
        api = runner.api();

        await(
                WAIT,
                "DEMO-1 blocked",
                () -> get(api + "/api/v1/DEMO-1").body().path("status").asText().equals("blocked"));
        JsonNode blocked = get(api + "/api/v1/DEMO-1").body().path("blocked");
        assertThat(blocked.path("question").asText()).isEqualTo("Formal or casual greeting?");
        assertThat(stateDoc().path("counts").path("blocked").asInt()).isEqualTo(1);
        assertThat(state(demoIssues, "DEMO-1")).isEqualTo("Todo");
        String session = blocked.path("session_id").asText();

        assertThat(Fixtures.post(api + "/api/v1/DEMO-1/respond", "{\"answer\": \"casual\"}")
                        .status())
                .isEqualTo(202);
        await(WAIT, "DEMO-1 in Human Review", () -> state(demoIssues, "DEMO-1").equals("Human Review"));

        JsonNode logs = get(api + "/api/v1/DEMO-1").body().path("logs").path("codex_session_logs");
        assertThat(logs).as("one session, continued").hasSize(1);
        assertThat(logs.get(0).path("session_id").asText()).isEqualTo(session);
        String sessionLog = Files.readString(Path.of(logs.get(0).path("path").asText()));
        assertThat(sessionLog).contains("operator answer: casual");
        assertThat(Files.readString(demo.resolve(".work/workspaces/DEMO-1/WALKTHROUGH.md")))
                .contains("casual");
    }

    // ------------------------------------------------------------------ helpers

    private void start(String trackerExtra, String rest) throws Exception {
        Files.writeString(
                dir.resolve("WORKFLOW.md"),
                "---\ntracker:\n  kind: file\n  provider: {path: issues, token: $RUNNER_TEST_SECRET}\n" + trackerExtra
                        + "workspace: {root: ws}\npolling: {interval_ms: 100}\ncodex:\n  command: \"bash '"
                        + dir.resolve("fake-codex.sh") + "'\"\n  read_timeout_ms: 20000\n" + codexExtra + rest
                        + "---\n" + prompt);
        runner = RunnerProcess.start(
                dir,
                Map.of(
                        "RUNNER_TEST_SECRET", "hunter2-secret",
                        "FAKE_SHARED", shared.toString(),
                        "FAKE_ISSUES", issues.toString()),
                RunnerCli.GUARDRAILS,
                "--port",
                "0",
                "--logs-root",
                dir.resolve("log").toString(),
                "WORKFLOW.md");
        api = runner.api();
    }

    /** Writes an issue file atomically (the runner polls the directory). */
    private void issue(String id, String frontMatter, String body) throws IOException {
        write(issues.resolve(id + ".md"), "---\ntitle: " + id + "\n" + frontMatter + "---\n" + body + "\n");
    }

    private void edit(String id, String from, String to) throws IOException {
        Path file = issues.resolve(id + ".md");
        String text = Files.readString(file);
        assertThat(text).contains(from);
        write(file, text.replace(from, to));
    }

    private static void write(Path file, String text) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void rewriteWorkflow(String from, String to) throws IOException {
        Path file = dir.resolve("WORKFLOW.md");
        String text = Files.readString(file);
        assertThat(text).contains(from);
        write(file, text.replace(from, to));
    }

    private void release(String id) throws IOException {
        Files.writeString(ws.resolve(id).resolve("release"), "");
    }

    /** Identifiers whose fake agent is waiting for a release, in name order. */
    private List<String> hanging() throws IOException {
        Path running = shared.resolve("running");
        if (!Files.isDirectory(running)) {
            return List.of();
        }
        try (var files = Files.list(running)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> runningStates() throws Exception {
        List<String> states = new ArrayList<>();
        stateDoc().path("running").forEach(r -> states.add(r.path("state").asText()));
        return states;
    }

    private JsonNode stateDoc() throws Exception {
        return get(api + "/api/v1/state").body();
    }

    private String lastError(String id) throws Exception {
        return get(api + "/api/v1/" + id).body().path("last_error").asText("");
    }

    private String stopReason(String id) throws Exception {
        for (JsonNode e : get(api + "/api/v1/" + id).body().path("recent_events")) {
            if (e.path("event").asText().equals("stopped")) {
                return e.path("message").asText();
            }
        }
        return "";
    }

    /** The current retry's {@code due_at} minus the time of the failure that scheduled it, in ms. */
    private long delayOfCurrentRetry(String id) throws Exception {
        return delayOf(get(api + "/api/v1/" + id).body());
    }

    private static long delayOf(JsonNode view) {
        return delayOf(view, "failed");
    }

    /** The current retry's {@code due_at} minus the time of the last {@code event} (the exit that scheduled it). */
    private static long delayOf(JsonNode view, String event) {
        Instant due = Instant.parse(view.path("retry").path("due_at").asText());
        Optional<Instant> failed = Optional.empty();
        for (JsonNode e : view.path("recent_events")) {
            if (e.path("event").asText().equals(event)) {
                failed = Optional.of(Instant.parse(e.path("at").asText()));
            }
        }
        return Duration.between(failed.orElseThrow(), due).toMillis();
    }

    private void awaitStates(String state, String... ids) throws Exception {
        await(WAIT, String.join(", ", ids) + " in " + state, () -> {
            for (String id : ids) {
                if (!state(issues, id).equals(state)) {
                    return false;
                }
            }
            return true;
        });
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("log/orchestra4j-runner.log"));
    }

    private static List<String> firstColumn(List<String> lines) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        lines.forEach(l -> out.add(l.split(" ")[0]));
        return List.copyOf(out);
    }
}
