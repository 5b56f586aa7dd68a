package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real server process killed with {@code SIGKILL} in the middle of a workflow, a native session or an asynchronous
 * pipeline run, then a new process on the same store: the workflow is resumed (not failed), its event stream goes on
 * with the next ids and replays from {@code Last-Event-ID}, and {@code active_workflows} counts it while it runs in the
 * new process; the session is recovered from its last committed step; the run is failed with a reason naming it. A
 * session whose owner is still alive (two processes with one node id on PostgreSQL) is left to that owner.
 */
final class CrashRecoveryTest {

    private static final String PG_URL =
            System.getenv().getOrDefault("ORCHESTRA4J_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @TempDir
    Path dir;

    private ServerProcess start() throws Exception {
        return ServerProcess.start(
                "--store", "file", "--data-dir", dir.toString(), "--node-id", "crash-node", "--rate-limit", "0");
    }

    private static JsonNode until(Http http, String path, String field, String value) {
        return Eventually.await(
                path + " " + field + " = " + value,
                Duration.ofSeconds(60),
                () -> http.get(path).json(),
                j -> j.path(field).asText().equals(value));
    }

    private static String startReview(Http http, int delayMs) {
        Http.Response started = http.post(
                "/api/sessions", Map.of("topology", "review", "task", "essay", "context", Map.of("delay_ms", delayMs)));
        assertThat(started.status()).isEqualTo(202);
        return started.json().path("session_id").asText();
    }

    /** Events of a session's stream until {@code agent}'s step starts (inclusive). */
    private static List<SseClient.Event> untilStepStarts(SseClient events, String agent) throws Exception {
        List<SseClient.Event> seen = new ArrayList<>();
        while (true) {
            SseClient.Event e = events.next();
            seen.add(e);
            if (e.type().equals("step_started")
                    && json(e.data()).path("agent").asText().equals(agent)) {
                return seen;
            }
        }
    }

    /** Whether the file store holds session {@code id} (a data file under {@code sessions/}). */
    private boolean storedSession(String id) {
        Path sessions = dir.resolve("sessions");
        if (!java.nio.file.Files.isDirectory(sessions)) {
            return false;
        }
        try (var files = java.nio.file.Files.list(sessions)) {
            // its snapshot's data file, not its journal or a write's temp file: those appear before it is readable
            return files.anyMatch(p -> p.getFileName().toString().equals(id + "~data"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long stepsOf(String trace, String agent) {
        return trace.lines()
                .filter(l -> l.contains("\"agent\":\"" + agent + "\""))
                .count();
    }

    @Test
    void kill9MidSession_restartRecoversIt_committedStepsDoNotRunAgain() throws Exception {
        String id;
        long lastSeen;
        try (ServerProcess first = start()) {
            Http http = new Http(first.url());
            id = startReview(http, 1500);
            try (SseClient events = SseClient.open(http, "/api/sessions/" + id + "/events")) {
                List<SseClient.Event> before = untilStepStarts(events, "Writer");
                assertThat(before)
                        .as("the Planner's step was committed before the kill")
                        .anyMatch(e ->
                                e.type().equals("step_completed") && e.data().contains("\"agent\":\"Planner\""));
                lastSeen = Long.parseLong(before.getLast().id());
            }
            first.kill9();
        }

        try (ServerProcess second = start()) {
            Http http = new Http(second.url());
            List<String> started = new ArrayList<>();
            try (SseClient events = SseClient.open(
                    http, "/api/sessions/" + id + "/events", "Last-Event-ID", String.valueOf(lastSeen))) {
                while (true) {
                    SseClient.Event e = events.next();
                    if (e.type().equals("step_started")) {
                        started.add(json(e.data()).path("agent").asText());
                    }
                    if (e.type().equals("status")
                            && json(e.data()).path("status").asText().equals("COMPLETED")) {
                        break;
                    }
                }
            }
            assertThat(started)
                    .as("the Writer's step in flight at the kill runs again; the Planner's does not")
                    .containsExactly("Writer", "Reviewer");
            JsonNode done = http.get("/api/sessions/" + id).json();
            assertThat(done.path("final_response").asText()).isEqualTo("approved: draft from plan for essay");
            String trace = http.get("/api/sessions/" + id + "/trace").body();
            assertThat(List.of(stepsOf(trace, "Planner"), stepsOf(trace, "Writer"), stepsOf(trace, "Reviewer")))
                    .as("one committed step per agent in the trace:%n%s", trace)
                    .containsExactly(1L, 1L, 1L);
        }
    }

    @Test
    void kill9MidFork_restartRecoversTheFork_fromItsLastCommit_andItsStatusSaysHowItEnded() throws Exception {
        String id;
        String fork = "fork-" + UUID.randomUUID().toString().substring(0, 8);
        try (ServerProcess first = start()) {
            Http http = new Http(first.url());
            id = startReview(http, 1500);
            until(http, "/api/sessions/" + id, "status", "COMPLETED");
            Http.Response accepted = http.post("/api/sessions/" + id + "/forks", Map.of("step", 1, "session_id", fork));
            assertThat(accepted.status()).isEqualTo(202);
            Eventually.await( // the fork's own session is stored (its Writer then runs for 1.5 s): kill it there
                    "fork " + fork + " stored", Duration.ofSeconds(60), () -> storedSession(fork), stored -> stored);
            assertThat(http.get("/api/sessions/" + id + "/forks/" + fork)
                            .json()
                            .path("status")
                            .asText())
                    .isEqualTo("RUNNING");
            first.kill9();
        }

        try (ServerProcess second = start()) {
            Http http = new Http(second.url());
            JsonNode done = until(http, "/api/sessions/" + id + "/forks/" + fork, "status", "COMPLETED");
            assertThat(done.path("forked_from").asText()).isEqualTo(id);
            assertThat(done.path("step").asInt()).isEqualTo(1);
            assertThat(done.path("final_response").asText()).isEqualTo("approved: draft from plan for essay");
            assertThat(second.output()).contains("recovering 1 forks");
        }
    }

    @Test
    void kill9MidAsyncPipelineRun_restartFailsItWithAReasonNamingIt() throws Exception {
        String runId;
        try (ServerProcess first = start()) {
            Http http = new Http(first.url());
            Http.Response accepted =
                    http.post("/pipelines/delay/perform?async=true", Map.of("input_data", Map.of("ms", 30_000)));
            assertThat(accepted.status()).isEqualTo(202);
            runId = accepted.json().path("run_id").asText();
            assertThat(http.get("/runs/" + runId).json().path("status").asText())
                    .isEqualTo("running");
            first.kill9();
        }

        try (ServerProcess second = start()) {
            Http http = new Http(second.url());
            JsonNode failed = until(http, "/runs/" + runId, "status", "failed");
            assertThat(failed.path("error").path("message").asText())
                    .contains("run '" + runId + "'", "interrupted by a server restart", "not performed again");
            assertThat(failed.path("error").path("category").asText()).isEqualTo("INTERRUPTED");
            assertThat(failed.path("pipeline_id").asText()).isEqualTo("delay");
        }
    }

    @Test
    void restartWhileTheOwnerLives_sessionIsLeftToItsOwner_andCompletesOnce() throws Exception {
        String table =
                "o4j_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PG_URL);
        try (Connection c = ds.getConnection()) {
            c.isValid(2);
        } catch (Exception e) {
            String message = "*** PostgreSQL at " + PG_URL + " is unreachable (" + e + "); the lease test is ";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "FAILING because CI=true ***", e);
            }
            System.err.println(message + "SKIPPED ***");
            Assumptions.abort(message + "skipped");
        }
        String[] args = {
            "--store",
            "postgres",
            "--postgres-url",
            PG_URL,
            "--postgres-table",
            table,
            "--node-id",
            "twin",
            "--rate-limit",
            "0"
        };
        try (ServerProcess owner = ServerProcess.start(args)) {
            Http http = new Http(owner.url());
            String id = startReview(http, 2500);
            try (SseClient events = SseClient.open(http, "/api/sessions/" + id + "/events")) {
                untilStepStarts(events, "Planner");
            }
            try (ServerProcess twin = ServerProcess.start(args)) {
                Eventually.await(
                        "the second process gave the session up",
                        Duration.ofSeconds(60),
                        twin::output,
                        out -> out.contains("session " + id + " was not recovered"));
                assertThat(twin.output()).contains("is alive in another process");
                JsonNode done = until(http, "/api/sessions/" + id, "status", "COMPLETED");
                assertThat(done.path("final_response").asText()).isEqualTo("approved: draft from plan for essay");
                assertThat(new Http(twin.url())
                                .get("/api/sessions/" + id)
                                .json()
                                .path("status")
                                .asText())
                        .isEqualTo("COMPLETED");
                String trace = http.get("/api/sessions/" + id + "/trace").body();
                assertThat(List.of(stepsOf(trace, "Planner"), stepsOf(trace, "Writer"), stepsOf(trace, "Reviewer")))
                        .containsExactly(1L, 1L, 1L);
            }
        } finally {
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table + ", " + table + "_journal, " + table + "_journal_head");
            }
        }
    }

    private static Map<String, Object> task(String id, String role, int simulateMs) {
        return Map.of("agent_id", id, "agent_role", role, "input_data", Map.of("simulate_ms", simulateMs));
    }

    private static JsonNode json(String data) throws Exception {
        return Http.JSON.readTree(data);
    }

    @Test
    void kill9MidWorkflow_restartResumesIt_eventsReplayAcrossTheRestart_activeCountFollows() throws Exception {
        String id = "crash-1";
        List<SseClient.Event> before = new ArrayList<>();
        JsonNode t1Before;
        try (ServerProcess first = start()) {
            Http http = new Http(first.url());
            assertThat(http.post(
                                    "/run-graph",
                                    Map.of(
                                            "workflow_id",
                                            id,
                                            "workflow_type",
                                            "sequential",
                                            "tasks",
                                            List.of(
                                                    task("t1", "backend", 100),
                                                    task("t2", "backend", 4000),
                                                    task("t3", "qa", 100))))
                            .status())
                    .isEqualTo(200);
            try (SseClient events = SseClient.open(http, "/workflows/" + id + "/events")) {
                while (true) {
                    SseClient.Event e = events.next();
                    before.add(e);
                    if (e.type().equals("task")
                            && json(e.data()).path("agent_id").asText().equals("t2")
                            && json(e.data()).path("status").asText().equals("running")) {
                        break;
                    }
                }
            }
            JsonNode running = http.get("/status/" + id).json();
            assertThat(running.path("status").asText()).isEqualTo("running");
            t1Before = running.path("tasks").get(0);
            assertThat(t1Before.path("status").asText()).isEqualTo("completed");
            assertThat(http.get("/health").json().path("active_workflows").asInt())
                    .isEqualTo(1);

            first.kill9();
            assertThat(first.alive()).isFalse();
        }

        long lastSeen = Long.parseLong(before.getLast().id());
        try (ServerProcess second = start()) {
            Http http = new Http(second.url());
            // resumed, not failed; and it counts as active in this process while t2 runs again
            JsonNode resumed = http.get("/status/" + id).json();
            assertThat(resumed.path("status").asText()).isEqualTo("running");
            assertThat(http.get("/health").json().path("active_workflows").asInt())
                    .isEqualTo(1);
            assertThat(http.get("/metrics").body()).contains("orchestra4j_server_active_workflows 1.0");

            List<SseClient.Event> after = new ArrayList<>();
            try (SseClient events =
                    SseClient.open(http, "/workflows/" + id + "/events", "Last-Event-ID", String.valueOf(lastSeen))) {
                while (true) {
                    SseClient.Event e = events.next();
                    after.add(e);
                    if (e.type().equals("workflow")
                            && json(e.data()).path("status").asText().equals("completed")) {
                        break;
                    }
                }
            }
            List<Long> ids = after.stream().map(e -> Long.parseLong(e.id())).toList();
            assertThat(ids.getFirst())
                    .as("the first event after the restart follows the last one seen")
                    .isEqualTo(lastSeen + 1);
            for (int i = 1; i < ids.size(); i++) {
                assertThat(ids.get(i)).as("ids go on without a gap or a repeat").isEqualTo(ids.get(i - 1) + 1);
            }
            List<String> tasks = new ArrayList<>();
            for (SseClient.Event e : after) {
                if (e.type().equals("task")) {
                    tasks.add(json(e.data()).path("agent_id").asText() + ":"
                            + json(e.data()).path("status").asText());
                }
            }
            assertThat(tasks).containsSubsequence("t2:running", "t2:completed", "t3:running", "t3:completed");
            assertThat(tasks).doesNotContain("t1:running");

            JsonNode done = http.get("/status/" + id).json();
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(done.path("tasks").get(0))
                    .as("t1 ran once, before the kill")
                    .isEqualTo(t1Before);
            assertThat(done.path("tasks").get(2).path("result").path("context"))
                    .as("t3 got t2's result as context")
                    .isEqualTo(done.path("tasks").get(1).path("result"));
            Eventually.await(
                    "active_workflows back to 0",
                    () -> http.get("/health").json().path("active_workflows").asInt(),
                    n -> n == 0);
        }
    }
}
