package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.JdbcStorageBackend;
import dev.orchestra4j.state.StateManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions and workflows survive a restart (file store) and are shared by two servers (PostgreSQL). */
final class DurabilityTest {

    @TempDir
    Path dir;

    private OrchestraServer fileServer(String node) {
        return TestServers.start(b ->
                b.stateManager(new StateManager(new FileStorageBackend(dir))).nodeId(node));
    }

    private static String workflow(Http http, String role) {
        return http.post(
                        "/run-graph",
                        Map.of(
                                "workflow_type",
                                "sequential",
                                "tasks",
                                List.of(Map.of("agent_id", "a", "agent_role", role, "input_data", Map.of("k", 1)))))
                .json()
                .path("workflow_id")
                .asText();
    }

    private static JsonNode until(Http http, String path, String field, String... values) {
        return Eventually.await(
                path + " " + field + " in " + List.of(values),
                () -> http.get(path).json(),
                j -> List.of(values).contains(j.path(field).asText()));
    }

    @Test
    void restart_finishedWorkflowReadsTheSame_andWaitingSessionCanBeAnswered() {
        String workflowId;
        String sessionId;
        JsonNode before;
        try (OrchestraServer first = fileServer("n1")) {
            Http http = new Http(first.url());
            workflowId = workflow(http, "backend");
            before = until(http, "/status/" + workflowId, "status", "completed");
            sessionId = http.post("/api/sessions", Map.of("topology", "interview", "task", "t"))
                    .json()
                    .path("session_id")
                    .asText();
            until(http, "/api/sessions/" + sessionId, "status", "WAITING_FOR_USER");
        }

        try (OrchestraServer second = fileServer("n1")) {
            Http http = new Http(second.url());
            assertThat(http.get("/status/" + workflowId).json()).isEqualTo(before);
            assertThat(http.post("/api/sessions/" + sessionId + "/answers", Map.of("answer", "tides"))
                            .status())
                    .isEqualTo(202);
            JsonNode done = until(http, "/api/sessions/" + sessionId, "status", "COMPLETED");
            assertThat(done.path("final_response").asText()).isEqualTo("Noted: tides");
        }
    }

    @Test
    void shutdown_pausesRunningSessions_whichResumeAfterRestart() throws Exception {
        String sessionId;
        try (OrchestraServer first = fileServer("n2")) {
            Http http = new Http(first.url());
            sessionId = http.post(
                            "/api/sessions",
                            Map.of("topology", "review", "task", "essay", "context", Map.of("delay_ms", 400)))
                    .json()
                    .path("session_id")
                    .asText();
            try (SseClient events = SseClient.open(http, "/api/sessions/" + sessionId + "/events")) {
                events.until("step_started");
            }
        }

        try (OrchestraServer second = fileServer("n2")) {
            Http http = new Http(second.url());
            JsonNode paused = http.get("/api/sessions/" + sessionId).json();
            assertThat(paused.path("status").asText()).isIn("PAUSED", "COMPLETED");
            if (paused.path("status").asText().equals("PAUSED")) {
                assertThat(http.post("/api/sessions/" + sessionId + "/resume", Map.of())
                                .status())
                        .isEqualTo(202);
            }
            JsonNode done = until(http, "/api/sessions/" + sessionId, "status", "COMPLETED");
            assertThat(done.path("final_response").asText()).startsWith("approved:");
        }
    }

    /** Rewrites a stored session record as a crash could have left it. */
    private void storeRecord(String sessionId, java.util.function.Consumer<ObjectNode> change) throws Exception {
        FileStorageBackend backend = new FileStorageBackend(dir);
        String key = "server/sessions/" + sessionId;
        ObjectNode record = backend.read(key)
                .map(v -> {
                    try {
                        return (ObjectNode) Http.JSON.readTree(v.value());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .orElseGet(Http.JSON::createObjectNode);
        change.accept(record);
        backend.write(key, Http.JSON.writeValueAsBytes(record));
    }

    @Test
    void restart_recordLeftRunningWhileTheSessionWaits_recordCatchesUpAndCanBeAnswered() throws Exception {
        String sessionId;
        try (OrchestraServer first = fileServer("n3")) {
            Http http = new Http(first.url());
            sessionId = http.post("/api/sessions", Map.of("topology", "interview", "task", "t"))
                    .json()
                    .path("session_id")
                    .asText();
            until(http, "/api/sessions/" + sessionId, "status", "WAITING_FOR_USER");
        }
        // a crash after the engine stored the question but before the record was written
        storeRecord(sessionId, r -> r.put("status", "RUNNING").putArray("pending_questions"));

        try (OrchestraServer second = fileServer("n3")) {
            Http http = new Http(second.url());
            JsonNode record = http.get("/api/sessions/" + sessionId).json();
            assertThat(record.path("status").asText()).isEqualTo("WAITING_FOR_USER");
            assertThat(record.path("pending_questions").get(0).path("question").asText())
                    .isEqualTo("What should the report be about?");
            assertThat(http.post("/api/sessions/" + sessionId + "/answers", Map.of("answer", "tides"))
                            .status())
                    .isEqualTo(202);
            assertThat(until(http, "/api/sessions/" + sessionId, "status", "COMPLETED")
                            .path("final_response")
                            .asText())
                    .isEqualTo("Noted: tides");
        }
    }

    @Test
    void restart_runningRecordWithoutStoredSession_endsFailedNamingIt_otherNodesRecordsUntouched() throws Exception {
        storeRecord("never-saved", r -> r.put("session_id", "never-saved")
                .put("topology", "review")
                .put("owner", "n4")
                .put("status", "RUNNING"));
        storeRecord("elsewhere", r -> r.put("session_id", "elsewhere")
                .put("topology", "review")
                .put("owner", "another-node")
                .put("status", "RUNNING"));

        try (OrchestraServer server = fileServer("n4")) {
            Http http = new Http(server.url());
            JsonNode failed = until(http, "/api/sessions/never-saved", "status", "FAILED");
            assertThat(failed.path("error").asText())
                    .contains("session 'never-saved'", "interrupted by a server restart", "first step was stored");
            assertThat(http.get("/api/sessions/elsewhere").json().path("status").asText())
                    .as("another node's session is that node's to recover")
                    .isEqualTo("RUNNING");
        }
    }

    @Test
    void postgres_twoServersShareWorkflowsAndSessions() throws Exception {
        String url = System.getenv()
                .getOrDefault("ORCHESTRA4J_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String table =
                "o4j_server_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(url);
        try (Connection c = ds.getConnection()) {
            c.isValid(2);
        } catch (Exception e) {
            String message = "*** PostgreSQL at " + url + " is unreachable (" + e + "); the shared-store test is ";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "FAILING because CI=true ***", e);
            }
            System.err.println(message + "SKIPPED ***");
            Assumptions.abort(message + "skipped");
        }
        try (OrchestraServer a =
                        TestServers.start(b -> b.stateManager(new StateManager(new JdbcStorageBackend(ds, table)))
                                .nodeId("a"));
                OrchestraServer b =
                        TestServers.start(x -> x.stateManager(new StateManager(new JdbcStorageBackend(ds, table)))
                                .nodeId("b"))) {
            Http onA = new Http(a.url());
            Http onB = new Http(b.url());
            String workflowId = workflow(onA, "qa");
            JsonNode fromA = until(onA, "/status/" + workflowId, "status", "completed");
            assertThat(onB.get("/status/" + workflowId).json()).isEqualTo(fromA);
            assertThat(onB.get("/workflows?limit=1000").json().findValuesAsText("workflow_id"))
                    .contains(workflowId);

            String sessionId = onA.post("/api/sessions", Map.of("topology", "interview", "task", "t"))
                    .json()
                    .path("session_id")
                    .asText();
            until(onA, "/api/sessions/" + sessionId, "status", "WAITING_FOR_USER");
            onB.post("/api/sessions/" + sessionId + "/answers", Map.of("answer", "from b"));
            assertThat(until(onA, "/api/sessions/" + sessionId, "status", "COMPLETED")
                            .path("final_response")
                            .asText())
                    .isEqualTo("Noted: from b");

            // A runs a session for about 3 s; a client of B follows it live to its end, without reconnecting
            String running = onA.post(
                            "/api/sessions",
                            Map.of("topology", "review", "task", "essay", "context", Map.of("delay_ms", 1000)))
                    .json()
                    .path("session_id")
                    .asText();
            try (SseClient live = SseClient.open(onB, "/api/sessions/" + running + "/events")) {
                List<String> started = new java.util.ArrayList<>();
                SseClient.Event e;
                do {
                    e = live.next();
                    if (e.type().equals("step_started")) {
                        started.add(e.data().replaceAll(".*\"agent\":\"([A-Za-z]+)\".*", "$1"));
                    }
                } while (!(e.type().equals("status") && e.data().contains("\"COMPLETED\"")));
                assertThat(started).as("every step, once, in order").containsExactly("Planner", "Writer", "Reviewer");
            }
        } finally {
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table + ", " + table + "_journal, " + table + "_journal_head");
            }
        }
    }
}
