package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server-Sent Events for workflows, sessions and the server, over real HTTP. */
final class EventStreamTest {

    private static OrchestraServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = TestServers.start(b -> b.heartbeat(Duration.ofMillis(200)));
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String submitSequential(String id, int simulateMs) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            tasks.add(Map.of(
                    "agent_id", "t" + i, "agent_role", "backend", "input_data", Map.of("simulate_ms", simulateMs)));
        }
        return http.post("/run-graph", Map.of("workflow_id", id, "workflow_type", "sequential", "tasks", tasks))
                .json()
                .path("workflow_id")
                .asText();
    }

    private static JsonNode json(String data) throws Exception {
        return Http.JSON.readTree(data);
    }

    @Test
    void workflowStream_sequential_taskRunningCompletedThrice_thenWorkflowCompleted_replayWithoutDuplicates()
            throws Exception {
        String id = submitSequential("wf-sse-1", 150);
        List<SseClient.Event> seen = new ArrayList<>();
        String lastId;
        try (SseClient first = SseClient.open(http, "/workflows/" + id + "/events")) {
            assertThat(first.status()).isEqualTo(200);
            seen.addAll(first.until("task"));
            seen.add(first.next());
            lastId = seen.getLast().id();
        }
        try (SseClient second = SseClient.open(http, "/workflows/" + id + "/events", "Last-Event-ID", lastId)) {
            while (true) {
                SseClient.Event e = second.next();
                seen.add(e);
                if (e.type().equals("workflow")
                        && json(e.data()).path("status").asText().equals("completed")) {
                    break;
                }
            }
        }

        List<String> ids = seen.stream().map(SseClient.Event::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
        List<String> tasks = new ArrayList<>();
        for (SseClient.Event e : seen) {
            if (e.type().equals("task")) {
                JsonNode t = json(e.data());
                tasks.add(t.path("agent_id").asText() + ":" + t.path("status").asText());
            }
        }
        assertThat(tasks)
                .containsExactly(
                        "t1:running", "t1:completed", "t2:running", "t2:completed", "t3:running", "t3:completed");
        assertThat(json(seen.getLast().data()).path("status").asText()).isEqualTo("completed");
    }

    @Test
    void sessionStream_carriesEngineEventsAndStatus_andHeartbeats() throws Exception {
        String id = http.post("/api/sessions", Map.of("topology", "interview", "task", "t"))
                .json()
                .path("session_id")
                .asText();
        try (SseClient sse = SseClient.open(http, "/api/sessions/" + id + "/events")) {
            List<SseClient.Event> events = sse.until("user_question_asked");
            assertThat(events.stream().map(SseClient.Event::type)).contains("run_started", "step_started");
            JsonNode asked = json(events.getLast().data());
            assertThat(asked.path("question").asText()).isEqualTo("What should the report be about?");
            Eventually.await("a heartbeat", sse::heartbeats, n -> n > 0);
        }
    }

    @Test
    void serverStream_seesWorkflowsAndSessions() throws Exception {
        try (SseClient sse = SseClient.open(http, "/api/events")) {
            assertThat(sse.status()).isEqualTo(200);
            submitSequential("wf-sse-global", 0);
            boolean sawWorkflow = false;
            while (!sawWorkflow) {
                SseClient.Event e = sse.next();
                sawWorkflow = e.type().equals("workflow")
                        && json(e.data()).path("workflow_id").asText().equals("wf-sse-global");
            }
        }
    }

    @Test
    void unknownWorkflowOrSession_404NotAStream() {
        assertThat(http.get("/workflows/none/events").status()).isEqualTo(404);
        assertThat(http.get("/api/sessions/none/events").status()).isEqualTo(404);
    }
}
