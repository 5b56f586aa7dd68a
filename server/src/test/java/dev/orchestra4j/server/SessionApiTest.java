package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native session API over real HTTP, on the demo topologies. */
final class SessionApiTest {

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

    static JsonNode status(String id, String... wanted) {
        return Eventually.await(
                "session " + id + " to reach " + List.of(wanted),
                () -> http.get("/api/sessions/" + id).json(),
                s -> List.of(wanted).contains(s.path("status").asText()));
    }

    @Test
    void start_returns202AtOnce_thenQuestionAnswered_completesWithResultTraceAndDiagrams() {
        var started = http.post("/api/sessions", Map.of("topology", "interview", "task", "write a report"));

        assertThat(started.status()).isEqualTo(202);
        String id = started.json().path("session_id").asText();
        assertThat(started.header("Location")).isEqualTo("/api/sessions/" + id);
        JsonNode waiting = status(id, "WAITING_FOR_USER");
        JsonNode question = waiting.path("pending_questions").get(0);
        assertThat(question.path("question").asText()).isEqualTo("What should the report be about?");
        assertThat(http.get("/api/sessions/" + id + "/questions").json().get(0).path("interaction_id"))
                .isEqualTo(question.path("interaction_id"));

        var answered = http.post(
                "/api/sessions/" + id + "/answers",
                Map.of("interaction_id", question.path("interaction_id").asText(), "answer", "otters"));

        assertThat(answered.status()).isEqualTo(202);
        JsonNode done = status(id, "COMPLETED");
        assertThat(done.path("final_response").asText()).isEqualTo("Noted: otters");
        JsonNode result = http.get("/api/sessions/" + id + "/result").json();
        assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
        var trace = http.get("/api/sessions/" + id + "/trace");
        assertThat(trace.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(trace.body().lines().count()).isGreaterThanOrEqualTo(2);
        trace.body().lines().forEach(line -> assertThat(line).startsWith("{"));
        assertThat(http.get("/api/sessions/" + id + "/diagrams/run").body()).contains("sequenceDiagram");
        assertThat(http.get("/api/sessions/" + id + "/diagrams/topology").body())
                .contains("Interviewer");
    }

    @Test
    void answer_withoutPendingQuestion_409() {
        String id = http.post(
                        "/api/sessions", Map.of("topology", "review", "task", "t", "context", Map.of("delay_ms", 0)))
                .json()
                .path("session_id")
                .asText();
        status(id, "COMPLETED");

        var r = http.post("/api/sessions/" + id + "/answers", Map.of("answer", "x"));

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("detail").asText()).contains("no pending question");
    }

    @Test
    void pauseThenResume_completes() {
        String id = http.post(
                        "/api/sessions",
                        Map.of("topology", "review", "task", "essay", "context", Map.of("delay_ms", 300)))
                .json()
                .path("session_id")
                .asText();

        assertThat(http.post("/api/sessions/" + id + "/pause", Map.of("reason", "lunch"))
                        .status())
                .isEqualTo(202);
        status(id, "PAUSED");
        assertThat(http.post("/api/sessions/" + id + "/resume", Map.of()).status())
                .isEqualTo(202);

        JsonNode done = status(id, "COMPLETED");
        assertThat(done.path("final_response").asText()).startsWith("approved:");
    }

    @Test
    void optionalFields_ofTheWrongType_are422NamingThem_neverIgnored() {
        String id = http.post("/api/sessions", Map.of("topology", "interview", "task", "write a report"))
                .json()
                .path("session_id")
                .asText();
        status(id, "WAITING_FOR_USER");

        Http.Response answer =
                http.post("/api/sessions/" + id + "/answers", Map.of("answer", "yes", "interaction_id", 7));
        assertThat(answer.status())
                .as("a numeric interaction_id used to answer the oldest question instead")
                .isEqualTo(422);
        assertThat(answer.body()).contains("interaction_id");
        assertThat(http.post("/api/sessions/" + id + "/pause", Map.of("reason", Map.of()))
                        .status())
                .isEqualTo(422);
        assertThat(http.post("/api/sessions/" + id + "/checkpoints", Map.of("name", 5))
                        .status())
                .isEqualTo(422);
        Http.Response resume = http.post("/api/sessions/" + id + "/resume", Map.of("context", List.of(1)));
        assertThat(resume.status()).isEqualTo(422);
        assertThat(resume.body()).contains("context");
        assertThat(http.get("/api/sessions/" + id).json().path("status").asText())
                .as("none of them did anything")
                .isEqualTo("WAITING_FOR_USER");
    }

    @Test
    void cancel_runningSession_endsCancelled_andCannotResume() {
        String id = http.post(
                        "/api/sessions",
                        Map.of("topology", "review", "task", "essay", "context", Map.of("delay_ms", 5_000)))
                .json()
                .path("session_id")
                .asText();

        assertThat(http.post("/api/sessions/" + id + "/cancel", "").status()).isEqualTo(202);

        status(id, "CANCELLED");
        assertThat(http.post("/api/sessions/" + id + "/resume", Map.of()).status())
                .isEqualTo(409);
    }

    @Test
    void checkpoint_createListRestore_thenResumeCompletes() {
        String id = http.post("/api/sessions", Map.of("topology", "interview", "task", "t"))
                .json()
                .path("session_id")
                .asText();
        status(id, "WAITING_FOR_USER");

        var created = http.post("/api/sessions/" + id + "/checkpoints", Map.of("name", "asked"));

        assertThat(created.status()).isEqualTo(201);
        String checkpointId = created.json().path("checkpoint_id").asText();
        assertThat(checkpointId).startsWith(id + "/");
        JsonNode listed = http.get("/api/sessions/" + id + "/checkpoints").json();
        assertThat(listed.get(0).path("checkpoint_id").asText()).isEqualTo(checkpointId);
        var restored = http.post(
                "/api/sessions/" + id + "/checkpoints/" + checkpointId.substring(id.length() + 1) + "/restore", "");
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.json().path("restored_from").asText()).isEqualTo(checkpointId);
        http.post("/api/sessions/" + id + "/resume", Map.of());
        JsonNode waiting = status(id, "WAITING_FOR_USER");
        http.post("/api/sessions/" + id + "/answers", Map.of("answer", "bees"));
        assertThat(status(id, "COMPLETED").path("final_response").asText()).isEqualTo("Noted: bees");
        assertThat(waiting.path("pending_questions").size()).isEqualTo(1);
    }

    @Test
    void list_filtersByTopologyAndStatus_withPaging() {
        for (int i = 0; i < 3; i++) {
            String id = http.post("/api/sessions", Map.of("topology", "interview", "task", "t" + i))
                    .json()
                    .path("session_id")
                    .asText();
            status(id, "WAITING_FOR_USER");
        }

        JsonNode page = http.get("/api/sessions?topology=interview&status=WAITING_FOR_USER&limit=2&offset=1")
                .json();

        assertThat(page.path("total").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(page.path("sessions").size()).isEqualTo(2);
        page.path("sessions")
                .forEach(s -> assertThat(s.path("topology").asText()).isEqualTo("interview"));
        assertThat(http.get("/api/sessions?limit=5000").status()).isEqualTo(422);
    }

    @Test
    void start_unknownTopologyOrMissingTask_clearErrors() {
        var unknown = http.post("/api/sessions", Map.of("topology", "nope", "task", "t"));
        var missing = http.post("/api/sessions", Map.of("context", List.of()));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("detail").asText()).isEqualTo("Topology 'nope' not found");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("topology").contains("task").contains("context");
    }

    @Test
    void start_duplicateSessionId_409() {
        Map<String, Object> body = Map.of("topology", "interview", "task", "t", "session_id", "dup-session");
        assertThat(http.post("/api/sessions", body).status()).isEqualTo(202);

        assertThat(http.post("/api/sessions", body).status()).isEqualTo(409);
    }

    @Test
    void topologies_listedWithMermaid() {
        JsonNode list = http.get("/api/topologies").json().path("topologies");

        assertThat(list.findValuesAsText("name")).contains("interview", "review");
        assertThat(http.get("/api/topologies/review").json().path("mermaid").asText())
                .contains("Planner");
        assertThat(http.get("/api/topologies/none").status()).isEqualTo(404);
    }

    @Test
    void result_whileRunning_409() {
        String id = http.post(
                        "/api/sessions",
                        Map.of("topology", "review", "task", "t", "context", Map.of("delay_ms", 2_000)))
                .json()
                .path("session_id")
                .asText();

        assertThat(http.get("/api/sessions/" + id + "/result").status()).isEqualTo(409);
        http.post("/api/sessions/" + id + "/cancel", "");
    }
}
