package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process killed with {@code SIGKILL} in the middle of a workflow, then a new process on the same file
 * store: the workflow is resumed (not failed), its event stream goes on with the next ids and replays from {@code
 * Last-Event-ID}, and {@code active_workflows} counts it while it runs in the new process.
 */
final class CrashRecoveryTest {

    @TempDir
    Path dir;

    private ServerProcess start() throws Exception {
        return ServerProcess.start(
                "--store", "file", "--data-dir", dir.toString(), "--node-id", "crash-node", "--rate-limit", "0");
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
