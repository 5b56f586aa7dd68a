package dev.orchestra4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code github} tracker against a local fake GitHub that checks headers and paging. */
final class GithubTrackerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fakeGithub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            respond(exchange);
        } catch (IOException | RuntimeException e) {
            problems.add("fake GitHub failed: " + e);
            throw e;
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            requests.add(target);
            check(exchange, "Authorization", "Bearer t0ken");
            check(exchange, "X-GitHub-Api-Version", "2022-11-28");
            check(exchange, "Accept", "application/vnd.github+json");
            if (exchange.getRequestHeaders().getFirst("User-Agent") == null) {
                problems.add("no User-Agent on " + target);
            }
            String path = exchange.getRequestURI().getPath();
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            Object body;
            int status = 200;
            if (path.equals("/repos/acme/app/issues") && query.endsWith("&page=1")) {
                List<Object> page = new ArrayList<>();
                for (int n = 1; n <= 100; n++) {
                    page.add(issue(n, n == 2));
                }
                body = page;
            } else if (path.equals("/repos/acme/app/issues") && query.endsWith("&page=2")) {
                body = List.of(issue(101, false), issue(102, false));
            } else if (path.equals("/repos/acme/app/issues/7")
                    && exchange.getRequestMethod().equals("GET")) {
                body = issue(7, false);
            } else if (path.equals("/repos/acme/app/issues/7/comments")) {
                comments.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                body = Map.of("id", 1);
                status = 201;
            } else {
                body = Map.of("message", "Not Found");
                status = 404;
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void check(HttpExchange exchange, String header, String expected) {
        String actual = exchange.getRequestHeaders().getFirst(header);
        if (!expected.equals(actual)) {
            problems.add(header + " was '" + actual + "' on " + exchange.getRequestURI());
        }
    }

    private static Map<String, Object> issue(int number, boolean pullRequest) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 1000 + number);
        m.put("node_id", "I_" + number);
        m.put("number", number);
        m.put("title", "Issue " + number);
        m.put("body", "Body " + number);
        m.put("state", "open");
        m.put("html_url", "https://github.com/acme/app/issues/" + number);
        m.put("labels", List.of(Map.of("name", "Agent")));
        m.put("assignee", Map.of("login", "octocat"));
        m.put("created_at", "2026-12-01T10:00:00Z");
        if (pullRequest) {
            m.put("pull_request", Map.of("url", "x"));
        }
        return m;
    }

    private RunnerConfig config(String extra) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return RunnerConfig.from(
                WorkflowFile.parse(
                        dir.resolve("WORKFLOW.md"),
                        "---\ntracker:\n  kind: github\n  provider: {repository: acme/app, token: $GH, api_url: \""
                                + url + "\"}\nworkspace: {root: ws}\n" + extra + "---\nDo {{ issue.identifier }}\n"),
                Map.of("GH", "t0ken"));
    }

    @Test
    void fetch_pagesWithHeadersAndMapsIssues() {
        Tracker tracker = Trackers.create(config(""), dir, java.time.Clock.systemUTC());

        List<Issue> open = tracker.fetchIssuesByStates(List.of("open"));

        assertThat(open).hasSize(102);
        assertThat(requests)
                .containsExactly(
                        "GET /repos/acme/app/issues?state=open&per_page=100&page=1",
                        "GET /repos/acme/app/issues?state=open&per_page=100&page=2");
        assertThat(problems).isEmpty();
        Issue seven = open.get(6);
        assertThat(seven.id()).isEqualTo("7");
        assertThat(seven.identifier()).isEqualTo("GH-7");
        assertThat(seven.labels()).containsExactly("agent");
        assertThat(seven.assigneeId()).isEqualTo("octocat");
        assertThat(seven.url()).isEqualTo("https://github.com/acme/app/issues/7");
        assertThat(seven.nativeRef()).containsEntry("number", 7L).containsEntry("repo", "acme/app");
        assertThat(open.get(1).dispatchable()).as("a pull request").isFalse();
        assertThat(tracker.secretEnvironmentNames()).contains("GITHUB_TOKEN");
    }

    @Test
    void fetchByIds_404OmitsTheIssue_emptyListMakesNoRequest() {
        Tracker tracker = Trackers.create(config(""), dir, java.time.Clock.systemUTC());

        assertThat(tracker.fetchIssuesByIds(List.of("7", "404")))
                .extracting(Issue::id)
                .containsExactly("7");
        assertThat(tracker.fetchIssuesByIds(List.of())).isEmpty();
        assertThat(tracker.fetchIssuesByStates(List.of())).isEmpty();
        assertThat(requests).hasSize(2);
    }

    @Test
    void addComment_postsBody() {
        Tracker tracker = Trackers.create(config(""), dir, java.time.Clock.systemUTC());

        tracker.addComment("7", "evidence");

        assertThat(comments).containsExactly("{\"body\":\"evidence\"}");
    }

    @Test
    void plainHttpOffLoopback_isRejected() {
        RunnerConfig config = RunnerConfig.from(
                WorkflowFile.parse(
                        dir.resolve("W.md"),
                        "---\ntracker: {kind: github, provider: {repository: a/b, token: x, api_url: "
                                + "\"http://example.com\"}}\n---\n"),
                Map.of());
        assertThatThrownBy(() -> Trackers.create(config, dir, java.time.Clock.systemUTC()))
                .isInstanceOf(TrackerException.class)
                .hasMessageContaining("HTTPS");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runner_neverDispatchesPullRequests() throws Exception {
        Files.writeString(
                dir.resolve("WORKFLOW.md"),
                "---\ntracker:\n  kind: github\n  provider: {repository: acme/app, token: $GH, api_url: \"http://127.0.0.1:"
                        + server.getAddress().getPort() + "\"}\nworkspace: {root: ws}\npolling: {interval_ms: 100000}\n"
                        + "agent: {max_concurrent_agents: 200}\n---\nDo {{ issue.identifier }}\n");
        List<String> dispatched = new CopyOnWriteArrayList<>();
        try (Runner runner = Runner.builder()
                .workflow(dir.resolve("WORKFLOW.md"))
                .environment(Map.of("GH", "t0ken"))
                .logsRoot(dir.resolve("log"))
                .agentRunner(turn -> {
                    dispatched.add(turn.issue().identifier());
                    return new TurnOutcome.InputRequired("wait");
                })
                .start()) {
            assertThat(runner.config().tracker().kind()).isEqualTo("github");
            Fixtures.await(Duration.ofSeconds(40), "101 dispatches", () -> dispatched.size() >= 101);
            assertThat(dispatched).doesNotContain("GH-2").contains("GH-1", "GH-102");
        }
    }

    // ------------------------------------------------------------------ state_labels

    /** A stateful fake GitHub for {@code state_labels}: lists, reads and PATCHes issues #1–#4. */
    private final class LabelledGithub implements AutoCloseable {
        final HttpServer http;
        final Map<Integer, Map<String, Object>> issues = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> patches = new CopyOnWriteArrayList<>();

        LabelledGithub() throws IOException {
            issues.put(1, labelled(1, "open", "bug"));
            issues.put(2, labelled(2, "open", "Rework", "bug"));
            issues.put(3, labelled(3, "open", "human-review"));
            issues.put(4, labelled(4, "closed", "rework"));
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", this::handle);
            http.start();
        }

        private Map<String, Object> labelled(int number, String state, String... labels) {
            Map<String, Object> m = issue(number, false);
            m.put("state", state);
            m.put(
                    "labels",
                    java.util.Arrays.stream(labels).map(l -> Map.of("name", l)).toList());
            return m;
        }

        @SuppressWarnings("unchecked")
        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String target = exchange.getRequestMethod() + " " + exchange.getRequestURI();
                requests.add(target);
                check(exchange, "Authorization", "Bearer t0ken");
                check(exchange, "X-GitHub-Api-Version", "2022-11-28");
                String path = exchange.getRequestURI().getPath();
                String query = String.valueOf(exchange.getRequestURI().getQuery());
                Object body;
                int status = 200;
                if (path.equals("/repos/acme/app/issues") && query.endsWith("&page=1")) {
                    String wanted = query.replaceAll(".*state=([a-z]+).*", "$1");
                    body = issues.values().stream()
                            .filter(i -> wanted.equals("all") || wanted.equals(i.get("state")))
                            .toList();
                } else if (path.matches("/repos/acme/app/issues/[0-9]+")
                        && issues.containsKey(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)))) {
                    Map<String, Object> issue = issues.get(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
                    if (exchange.getRequestMethod().equals("PATCH")) {
                        String patch = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                        patches.add(patch);
                        Map<String, Object> changes = JSON.readValue(patch, Map.class);
                        issue.put("state", changes.get("state"));
                        if (changes.containsKey("labels")) {
                            issue.put(
                                    "labels",
                                    ((List<String>) changes.get("labels"))
                                            .stream()
                                                    .map(l -> Map.of("name", l))
                                                    .toList());
                        }
                    }
                    body = issue;
                } else {
                    body = Map.of("message", "Not Found");
                    status = 404;
                }
                byte[] bytes = JSON.writeValueAsBytes(body);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }

        RunnerConfig config(String stateLabels, String extra) {
            return RunnerConfig.from(
                    WorkflowFile.parse(
                            dir.resolve("WORKFLOW.md"),
                            "---\ntracker:\n  kind: github\n  provider:\n    repository: acme/app\n    token: $GH\n"
                                    + "    api_url: \"http://127.0.0.1:"
                                    + http.getAddress().getPort() + "\"\n"
                                    + "    state_labels: " + stateLabels + "\n" + extra
                                    + "workspace: {root: ws}\n---\nDo {{ issue.identifier }}\n"),
                    Map.of("GH", "t0ken"));
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    private static final String STATE_LABELS = "{\"Human Review\": human-review, Rework: rework}";

    @Test
    void stateLabels_mapOpenIssuesToWorkflowStates() throws Exception {
        try (LabelledGithub github = new LabelledGithub()) {
            Tracker tracker = Trackers.create(github.config(STATE_LABELS, ""), dir, java.time.Clock.systemUTC());

            assertThat(tracker.fetchIssuesByStates(List.of("open", "Rework")))
                    .extracting(Issue::identifier, Issue::state)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("GH-1", "open"),
                            org.assertj.core.groups.Tuple.tuple("GH-2", "Rework"));
            assertThat(tracker.fetchIssuesByStates(List.of("human review")))
                    .extracting(Issue::identifier)
                    .containsExactly("GH-3");
            assertThat(tracker.fetchIssuesByStates(List.of("closed")))
                    .extracting(Issue::identifier, Issue::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("GH-4", "closed"));
            assertThat(tracker.fetchIssuesByIds(List.of("2")))
                    .singleElement()
                    .extracting(Issue::state)
                    .isEqualTo("Rework");
            assertThat(requests)
                    .contains(
                            "GET /repos/acme/app/issues?state=open&per_page=100&page=1",
                            "GET /repos/acme/app/issues?state=closed&per_page=100&page=1");
            assertThat(problems).isEmpty();
        }
    }

    @Test
    void stateLabels_transitionsRewriteTheStateLabelInOnePatch() throws Exception {
        try (LabelledGithub github = new LabelledGithub()) {
            Tracker tracker = Trackers.create(github.config(STATE_LABELS, ""), dir, java.time.Clock.systemUTC());

            assertThat(tracker.transitionIssue("2", "Human Review").state()).isEqualTo("Human Review");
            assertThat(tracker.transitionIssue("4", "Rework").state())
                    .as("reopened with the label")
                    .isEqualTo("Rework");
            assertThat(tracker.transitionIssue("3", "open").state()).isEqualTo("open");
            assertThat(tracker.transitionIssue("1", "closed").state()).isEqualTo("closed");
            assertThat(github.patches)
                    .containsExactly(
                            "{\"state\":\"open\",\"labels\":[\"bug\",\"human-review\"]}",
                            "{\"state\":\"open\",\"labels\":[\"rework\"]}",
                            "{\"state\":\"open\",\"labels\":[]}",
                            "{\"state\":\"closed\"}");
            assertThat(tracker.fetchIssuesByIds(List.of("2", "4", "3")))
                    .extracting(Issue::state)
                    .containsExactly("Human Review", "Rework", "open");

            assertThatThrownBy(() -> tracker.transitionIssue("1", "Merging"))
                    .isInstanceOf(TrackerException.class)
                    .hasMessageContaining("state_labels")
                    .hasMessageContaining("Merging");
            assertThat(problems).isEmpty();
        }
    }

    @Test
    void stateLabels_invalidMaps_areRejectedNamingTheEntry() throws Exception {
        try (LabelledGithub github = new LabelledGithub()) {
            for (String[] c : new String[][] {
                {"[human-review]", "must map states to labels"},
                {"{open: reopened}", "'open' is a GitHub state already"},
                {"{A: x, B: X}", "label 'X' is mapped to both 'A' and 'B'"},
                {"{A: \"\"}", "needs a state and a label"}
            }) {
                assertThatThrownBy(() -> Trackers.create(github.config(c[0], ""), dir, java.time.Clock.systemUTC()))
                        .as(c[0])
                        .isInstanceOf(TrackerException.class)
                        .hasMessageContaining("tracker.provider.state_labels")
                        .hasMessageContaining(c[1]);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stateLabels_runnerDispatchesByLabelledState() throws Exception {
        try (LabelledGithub github = new LabelledGithub()) {
            RunnerConfig config =
                    github.config(STATE_LABELS, "  active_states: [Rework]\n  terminal_states: [closed]\n");
            Files.writeString(dir.resolve("WORKFLOW.md"), workflowText(github));
            List<String> dispatched = new CopyOnWriteArrayList<>();
            try (Runner runner = Runner.builder()
                    .workflow(dir.resolve("WORKFLOW.md"))
                    .environment(Map.of("GH", "t0ken"))
                    .logsRoot(dir.resolve("log"))
                    .agentRunner(turn -> {
                        dispatched.add(
                                turn.issue().identifier() + " " + turn.issue().state());
                        return new TurnOutcome.InputRequired("wait");
                    })
                    .start()) {
                assertThat(runner.config().tracker().activeStates())
                        .isEqualTo(config.tracker().activeStates());
                Fixtures.await(Duration.ofSeconds(40), "GH-2 dispatched", () -> !dispatched.isEmpty());
                assertThat(dispatched).containsExactly("GH-2 Rework");
            }
        }
    }

    /**
     * Black-box: the runner process against the fake GitHub, on the built-in coding-run agent: the Rework issue is
     * handed off by swapping its state label; the pull request is never dispatched.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void runnerProcess_handsOffALabelledIssue_andNeverDispatchesAPullRequest() throws Exception {
        try (LabelledGithub github = new LabelledGithub()) {
            Map<String, Object> pr = github.labelled(5, "open", "rework");
            pr.put("pull_request", Map.of("url", "x"));
            github.issues.put(5, pr);
            Files.writeString(
                    dir.resolve("WORKFLOW.md"),
                    workflowText(github).replace("interval_ms: 100000", "interval_ms: 200"));
            try (RunnerProcess p = RunnerProcess.start(
                    dir,
                    Map.of("GH", "t0ken"),
                    RunnerCli.GUARDRAILS,
                    "--port",
                    "0",
                    "--logs-root",
                    dir.resolve("log").toString(),
                    "WORKFLOW.md")) {
                String api = p.api();
                Fixtures.await(
                        Duration.ofSeconds(60),
                        "GH-2 handed off on GitHub",
                        () -> github.issues.get(2).get("labels").toString().contains("human-review"));
                assertThat(github.patches).contains("{\"state\":\"open\",\"labels\":[\"bug\",\"human-review\"]}");
                assertThat(Fixtures.get(api + "/api/v1/GH-2")
                                .body()
                                .path("issue_id")
                                .asText())
                        .isEqualTo("2");
                assertThat(Fixtures.get(api + "/api/v1/GH-5").status())
                        .as("a pull request is never dispatched")
                        .isEqualTo(404);
            }
            assertThat(requests).contains("GET /repos/acme/app/issues?state=open&per_page=100&page=1");
            assertThat(requests).noneMatch(r -> r.startsWith("PATCH /repos/acme/app/issues/5"));
            assertThat(problems).isEmpty();
        }
    }

    /**
     * Black-box: a running issue whose refresh answers 404 (deleted on GitHub) is omitted from the refresh, so the runner
     * stops its agent as missing; a 404 is not a refresh error that keeps the worker.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void runnerProcess_aRefreshAnswering404_omitsTheIssueAndStopsItsAgent() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        try (java.io.InputStream script = getClass().getResourceAsStream("/fake-codex.sh")) {
            Files.copy(script, dir.resolve("fake-codex.sh"));
        }
        try (LabelledGithub github = new LabelledGithub()) {
            Files.writeString(
                    dir.resolve("WORKFLOW.md"),
                    workflowText(github)
                            .replace("interval_ms: 100000", "interval_ms: 100")
                            .replace(
                                    "---\nDo {{ issue.identifier }}\n",
                                    "codex: {command: \"bash '" + dir.resolve("fake-codex.sh")
                                            + "'\", read_timeout_ms: 20000}\nagent: {kind: codex, max_turns: 1}\n"
                                            + "---\nSCENARIO=hang {{ issue.identifier }}\n"));
            try (RunnerProcess p = RunnerProcess.start(
                    dir,
                    Map.of("GH", "t0ken", "FAKE_SHARED", shared.toString(), "FAKE_ISSUES", dir.toString()),
                    RunnerCli.GUARDRAILS,
                    "--port",
                    "0",
                    "--logs-root",
                    dir.resolve("log").toString(),
                    "WORKFLOW.md")) {
                String api = p.api();
                Fixtures.await(
                        Duration.ofSeconds(60),
                        "GH-2's agent running",
                        () -> Files.exists(shared.resolve("running/GH-2"))
                                && Fixtures.get(api + "/api/v1/state")
                                                .body()
                                                .path("counts")
                                                .path("running")
                                                .asInt()
                                        == 1);
                long pid = Long.parseLong(
                        Files.readString(dir.resolve("ws/GH-2/agent.pid")).strip());

                github.issues.remove(2);
                int before = requests.size();
                Fixtures.await(
                        Duration.ofSeconds(60),
                        "GH-2 stopped",
                        () -> Fixtures.get(api + "/api/v1/state")
                                        .body()
                                        .path("counts")
                                        .path("running")
                                        .asInt()
                                == 0);
                assertThat(requests.subList(before, requests.size()))
                        .as("the refresh that met the 404")
                        .contains("GET /repos/acme/app/issues/2");
                com.fasterxml.jackson.databind.JsonNode view =
                        Fixtures.get(api + "/api/v1/GH-2").body();
                assertThat(view.path("status").asText()).isEqualTo("released");
                assertThat(view.path("recent_events").toString())
                        .contains("\"stopped\"")
                        .contains("missing");
                Fixtures.await(Duration.ofSeconds(60), "the agent's process gone", () -> !ProcessHandle.of(pid)
                        .map(ProcessHandle::isAlive)
                        .orElse(false));
                String log = Files.readString(dir.resolve("log/orchestra4j-runner.log"));
                assertThat(log).contains("worker stopped issue_id=2 issue_identifier=GH-2");
                assertThat(log).doesNotContain("reconcile refresh failed");
                assertThat(p.process.isAlive()).isTrue();
            }
            assertThat(problems).isEmpty();
        }
    }

    private static String workflowText(LabelledGithub github) {
        return "---\ntracker:\n  kind: github\n  provider:\n    repository: acme/app\n    token: $GH\n"
                + "    api_url: \"http://127.0.0.1:" + github.http.getAddress().getPort() + "\"\n"
                + "    state_labels: " + STATE_LABELS + "\n  active_states: [Rework]\n  terminal_states: [closed]\n"
                + "workspace: {root: ws}\npolling: {interval_ms: 100000}\n---\nDo {{ issue.identifier }}\n";
    }
}
