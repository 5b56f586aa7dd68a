package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The AI Orchestra run-graph checklist (research §4.4, server part) over real HTTP. */
final class RunGraphApiTest {

    private static OrchestraServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = TestServers.start();
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> task(String id, String role, Map<String, Object> input, String... deps) {
        return Map.of("agent_id", id, "agent_role", role, "input_data", input, "depends_on", List.of(deps));
    }

    static JsonNode finished(String id) {
        return Eventually.await(
                "workflow " + id + " to finish", () -> http.get("/status/" + id).json(), w -> List.of(
                                "completed", "failed", "partial")
                        .contains(w.path("status").asText()));
    }

    @Test
    void runGraph_readmeBody_pendingWithEveryTaskKey() {
        var r = http.post(
                "/run-graph",
                "{\"workflow_type\":\"sequential\",\"tasks\":[{\"agent_id\":\"test-1\",\"agent_role\":\"backend\","
                        + "\"input_data\":{\"task\":\"Create API\"}}]}");

        assertThat(r.status()).isEqualTo(200);
        JsonNode w = r.json();
        String id = w.path("workflow_id").asText();
        assertThat(w.path("status").asText()).isEqualTo("pending");
        assertThat(w.path("metadata").isObject()).isTrue();
        assertThat(w.path("metadata").size()).isZero();
        JsonNode t = w.path("tasks").get(0);
        assertThat(t.path("task_id").asText()).isEqualTo(id + "-task-0");
        assertThat(t.path("status").asText()).isEqualTo("pending");
        for (String key : List.of("started_at", "completed_at", "result", "error")) {
            assertThat(t.has(key)).as(key).isTrue();
            assertThat(t.get(key).isNull()).as(key).isTrue();
        }
        assertThat(finished(id).path("status").asText()).isEqualTo("completed");
    }

    @Test
    void runGraph_clientWorkflowId_echoedAndDuplicateIs409() {
        Map<String, Object> body = Map.of(
                "workflow_id", "wf-echo", "workflow_type", "parallel", "tasks", List.of(task("a", "qa", Map.of())));
        assertThat(http.post("/run-graph", body).json().path("workflow_id").asText())
                .isEqualTo("wf-echo");

        var again = http.post("/run-graph", body);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("detail").asText()).contains("wf-echo");
    }

    @Test
    void runGraph_missingFieldsOrUnknownType_422NamingEachField() {
        var missing = http.post("/run-graph", "{}");
        assertThat(missing.status()).isEqualTo(422);
        List<String> locs = new ArrayList<>();
        missing.json().path("detail").forEach(d -> locs.add(d.path("loc").toString()));
        assertThat(locs).contains("[\"body\",\"workflow_type\"]", "[\"body\",\"tasks\"]");

        var dag = http.post("/run-graph", Map.of("workflow_type", "dag", "tasks", List.of()));
        assertThat(dag.status()).isEqualTo(422);
        assertThat(dag.json().path("detail").get(0).path("loc").toString()).contains("workflow_type");
    }

    @Test
    void sequential_threeTasks_eachGetsThePreviousResultAsContext() {
        var r = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "sequential",
                        "tasks",
                        List.of(
                                task("s1", "frontend", Map.of("task", "ui")),
                                task("s2", "backend", Map.of("task", "api")),
                                task("s3", "qa", Map.of("task", "test")))));

        JsonNode w = finished(r.json().path("workflow_id").asText());

        assertThat(w.path("status").asText()).isEqualTo("completed");
        JsonNode tasks = w.path("tasks");
        for (JsonNode t : tasks) {
            assertThat(Instant.parse(t.path("started_at").asText()))
                    .isBeforeOrEqualTo(Instant.parse(t.path("completed_at").asText()));
        }
        assertThat(tasks.get(0).path("result").path("context").isNull()).isTrue();
        assertThat(tasks.get(1).path("result").path("context"))
                .isEqualTo(tasks.get(0).path("result"));
        assertThat(tasks.get(2).path("result").path("context"))
                .isEqualTo(tasks.get(1).path("result"));
        assertThat(tasks.get(2).path("result").path("output").path("message").asText())
                .isEqualTo("qa agent completed successfully");
        assertThat(tasks.get(1).path("result").path("input").path("task").asText())
                .isEqualTo("api");
    }

    @Test
    void sequential_backendFails_nextStaysPendingAndWorkflowPartial() {
        var r = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "sequential",
                        "tasks",
                        List.of(
                                task("p1", "frontend", Map.of()),
                                task("p2", "backend", Map.of("simulate_error", "database down")),
                                task("p3", "debugger", Map.of()))));

        JsonNode w = finished(r.json().path("workflow_id").asText());

        assertThat(w.path("status").asText()).isEqualTo("partial");
        assertThat(w.path("tasks").get(1).path("status").asText()).isEqualTo("failed");
        assertThat(w.path("tasks").get(1).path("error").asText()).contains("database down");
        assertThat(w.path("tasks").get(2).path("status").asText()).isEqualTo("pending");
    }

    @Test
    void sequential_qaFails_nextStillRuns() {
        var r = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "sequential",
                        "tasks",
                        List.of(
                                task("q1", "frontend", Map.of()),
                                task("q2", "qa", Map.of("simulate_error", "3 tests red")),
                                task("q3", "debugger", Map.of()))));

        JsonNode w = finished(r.json().path("workflow_id").asText());

        assertThat(w.path("tasks").get(2).path("status").asText()).isEqualTo("completed");
        assertThat(w.path("status").asText()).isEqualTo("partial");
    }

    @Test
    void parallel_threeTasksOf200ms_runConcurrently() {
        var r = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "parallel",
                        "tasks",
                        List.of(
                                task("c1", "qa", Map.of("simulate_ms", 200)),
                                task("c2", "qa", Map.of("simulate_ms", 200)),
                                task("c3", "qa", Map.of("simulate_ms", 200)))));

        JsonNode w = finished(r.json().path("workflow_id").asText());

        assertThat(w.path("status").asText()).isEqualTo("completed");
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        for (JsonNode t : w.path("tasks")) {
            Instant s = Instant.parse(t.path("started_at").asText());
            Instant e = Instant.parse(t.path("completed_at").asText());
            first = s.isBefore(first) ? s : first;
            last = e.isAfter(last) ? e : last;
        }
        assertThat(java.time.Duration.between(first, last)).isLessThan(java.time.Duration.ofMillis(400));
    }

    @Test
    void parallel_oneFails_partial_allFail_failed() {
        var some = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "parallel",
                        "tasks",
                        List.of(task("x1", "qa", Map.of()), task("x2", "qa", Map.of("simulate_error", "boom")))));
        var all = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "parallel",
                        "tasks",
                        List.of(
                                task("y1", "qa", Map.of("simulate_error", "a")),
                                task("y2", "qa", Map.of("simulate_error", "b")))));

        assertThat(finished(some.json().path("workflow_id").asText())
                        .path("status")
                        .asText())
                .isEqualTo("partial");
        assertThat(finished(all.json().path("workflow_id").asText())
                        .path("status")
                        .asText())
                .isEqualTo("failed");
    }

    @Test
    void graph_joinWaitsForBothDependencies_contextKeyedByDependency() {
        var r = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "graph",
                        "tasks",
                        List.of(
                                task("1", "frontend", Map.of("simulate_ms", 50)),
                                task("2", "backend", Map.of("simulate_ms", 100)),
                                task("3", "qa", Map.of(), "1", "2"),
                                task("4", "debugger", Map.of(), "3"))));

        JsonNode w = finished(r.json().path("workflow_id").asText());

        assertThat(w.path("status").asText()).isEqualTo("completed");
        JsonNode t = w.path("tasks");
        Instant start3 = Instant.parse(t.get(2).path("started_at").asText());
        assertThat(start3)
                .isAfterOrEqualTo(Instant.parse(t.get(0).path("completed_at").asText()));
        assertThat(start3)
                .isAfterOrEqualTo(Instant.parse(t.get(1).path("completed_at").asText()));
        assertThat(Instant.parse(t.get(3).path("started_at").asText()))
                .isAfterOrEqualTo(Instant.parse(t.get(2).path("completed_at").asText()));
        List<String> keys = new ArrayList<>();
        t.get(2).path("result").path("context").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void unknownRole_400NamingItAndEveryRegisteredRole_nothingStored() {
        var r = http.post(
                "/run-graph",
                Map.of(
                        "workflow_id",
                        "wf-wizard",
                        "workflow_type",
                        "sequential",
                        "tasks",
                        List.of(task("1", "qa", Map.of()), task("2", "wizard", Map.of()))));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("'wizard'");
        for (String role : ScriptedRoles.ROLES) {
            assertThat(r.body()).contains(role);
        }
        assertThat(http.get("/status/wf-wizard").status()).isEqualTo(404);
    }

    @Test
    void graph_ghostDependencyCycleOrDuplicate_400NamingThem() {
        var ghost = http.post(
                "/run-graph", Map.of("workflow_type", "graph", "tasks", List.of(task("1", "qa", Map.of(), "ghost"))));
        var cycle = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "graph",
                        "tasks",
                        List.of(task("1", "qa", Map.of(), "2"), task("2", "qa", Map.of(), "1"))));
        var duplicate = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "graph",
                        "tasks",
                        List.of(task("1", "qa", Map.of()), task("1", "qa", Map.of()))));

        assertThat(ghost.status()).isEqualTo(400);
        assertThat(ghost.body()).contains("ghost");
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.body()).contains("cycle").contains("'1'").contains("'2'");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.body()).contains("duplicate");
    }

    @Test
    void graph_failedDependency_dependantFailsWithReason_neverRunning() {
        var r = http.post(
                "/run-graph",
                Map.of(
                        "workflow_type",
                        "graph",
                        "tasks",
                        List.of(
                                task("a", "backend", Map.of("simulate_error", "broken")),
                                task("b", "qa", Map.of()),
                                task("c", "qa", Map.of(), "a", "b"))));

        JsonNode w = finished(r.json().path("workflow_id").asText());

        assertThat(w.path("status").asText()).isEqualTo("partial");
        assertThat(w.path("tasks").get(2).path("status").asText()).isEqualTo("failed");
        assertThat(w.path("tasks").get(2).path("error").asText()).isEqualTo("dependency a failed");
    }

    @Test
    void status_unknown_404WithSeedDetail() {
        var r = http.get("/status/unknown");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("detail").asText()).isEqualTo("Workflow unknown not found");
    }

    @Test
    void workflows_filterAndLimit_newestFirst_badLimit422() {
        String older = http.post(
                        "/run-graph", Map.of("workflow_type", "parallel", "tasks", List.of(task("o", "qa", Map.of()))))
                .json()
                .path("workflow_id")
                .asText();
        finished(older);
        String newer = http.post(
                        "/run-graph", Map.of("workflow_type", "parallel", "tasks", List.of(task("n", "qa", Map.of()))))
                .json()
                .path("workflow_id")
                .asText();
        finished(newer);

        JsonNode one = http.get("/workflows?status=completed&limit=1").json();
        JsonNode all = http.get("/workflows?status=completed&limit=1000").json();

        assertThat(one.isArray()).isTrue();
        assertThat(one.size()).isEqualTo(1);
        assertThat(one.get(0).path("status").asText()).isEqualTo("completed");
        List<String> created = new ArrayList<>();
        all.forEach(w -> created.add(w.path("created_at").asText()));
        assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(http.get("/workflows?limit=0").status()).isEqualTo(422);
        assertThat(http.get("/workflows?limit=-1").status()).isEqualTo(422);
        assertThat(http.get("/workflows?status=done").status()).isEqualTo(422);
    }

    @Test
    void delete_runningWorkflow_cancelsItThen404() {
        String id = http.post(
                        "/run-graph",
                        Map.of(
                                "workflow_type",
                                "sequential",
                                "tasks",
                                List.of(task("slow", "backend", Map.of("simulate_ms", 30_000)))))
                .json()
                .path("workflow_id")
                .asText();
        Eventually.await(
                "the slow task to run",
                () -> http.get("/status/" + id)
                        .json()
                        .path("tasks")
                        .get(0)
                        .path("status")
                        .asText(),
                "running"::equals);
        long before = System.nanoTime();

        var r = http.delete("/workflows/" + id);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("message").asText()).isEqualTo("Workflow " + id + " deleted");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - before)).isLessThan(java.time.Duration.ofSeconds(10));
        assertThat(http.get("/status/" + id).status()).isEqualTo(404);
    }

    @Test
    void delete_runningWorkflow_itsAgentSeesTheInterrupt() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Boolean> interrupted = new java.util.concurrent.CompletableFuture<>();
        dev.orchestra4j.flow.RoleRegistry roles = ScriptedRoles.create().register("sleeper", request -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(true);
                throw e;
            }
            return dev.orchestra4j.core.AgentResponse.finish("woke up");
        });
        try (OrchestraServer own = TestServers.start(b -> b.roles(roles))) {
            Http client = new Http(own.url());
            String id = client.post(
                            "/run-graph",
                            Map.of("workflow_type", "parallel", "tasks", List.of(task("z", "sleeper", Map.of()))))
                    .json()
                    .path("workflow_id")
                    .asText();
            assertThat(started.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThat(client.delete("/workflows/" + id).status()).isEqualTo(200);

            assertThat(interrupted.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
        }
    }

    @Test
    void metrics_prometheusScrapeCountsRuns() {
        String id = http.post(
                        "/run-graph", Map.of("workflow_type", "parallel", "tasks", List.of(task("m", "qa", Map.of()))))
                .json()
                .path("workflow_id")
                .asText();
        finished(id);

        var scrape = http.get("/metrics");

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Type")).startsWith("text/plain");
        assertThat(scrape.body()).contains("orchestra_runs");
    }

    @Test
    void health_countsRunningWorkflows() {
        String id = http.post(
                        "/run-graph",
                        Map.of(
                                "workflow_type",
                                "parallel",
                                "tasks",
                                List.of(task("h", "qa", Map.of("simulate_ms", 30_000)))))
                .json()
                .path("workflow_id")
                .asText();

        JsonNode h = http.get("/health").json();

        assertThat(h.path("status").asText()).isEqualTo("healthy");
        assertThat(h.path("active_workflows").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(h.has("pipelines_count")).isTrue();
        assertThat(Instant.parse(h.path("timestamp").asText())).isNotNull();
        http.delete("/workflows/" + id);
        Eventually.await(
                "no active workflows",
                () -> http.get("/health").json().path("active_workflows").asInt(),
                n -> n == 0);
    }

    @Test
    void root_describesTheService() {
        JsonNode root = http.get("/").json();

        assertThat(root.path("status").asText()).isEqualTo("running");
        assertThat(root.path("service").asText()).contains("Orchestration Service");
    }
}
