package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forks over HTTP (issue #19 on the server, issue #14's rule that no request blocks for the length of a session): the
 * POST answers 202 while the fork still runs, and the fork's outcome is read at the Location it gives.
 */
final class ForkApiTest {

    private final CountDownLatch writerMayFinish = new CountDownLatch(1);
    private final CountDownLatch forkedWriterStarted = new CountDownLatch(1);
    private final AtomicInteger writerCalls = new AtomicInteger();
    private OrchestraServer server;
    private Http http;

    @BeforeEach
    void open() {
        AgentRegistry agents = AgentRegistry.create()
                .register("Finder", r -> AgentResponse.handOff("Writer", "notes on " + r.input()))
                .register("Writer", r -> {
                    if (writerCalls.incrementAndGet() > 1) { // the fork's Writer: held until the test lets it go
                        forkedWriterStarted.countDown();
                        if (!writerMayFinish.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released the forked Writer");
                        }
                        return AgentResponse.finish("forked report");
                    }
                    return AgentResponse.finish("first report");
                });
        Topology topology = Topology.builder()
                .edge("Start -> Finder")
                .edge("Finder -> Writer")
                .edge("Writer -> End")
                .build();
        server = TestServers.start(b -> b.topology("notes", topology, agents));
        http = new Http(server.url());
        http.post("/api/sessions", Map.of("topology", "notes", "task", "otters", "session_id", "orig-1"));
        Eventually.await(
                "session orig-1 to complete",
                () -> http.get("/api/sessions/orig-1").json().path("status").asText(),
                "COMPLETED"::equals);
    }

    @AfterEach
    void close() {
        writerMayFinish.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fork_answers202WhileTheForkRuns_outcomeAtItsLocation() throws Exception {
        Http.Response accepted = http.post("/api/sessions/orig-1/forks", Map.of("step", 1, "session_id", "orig-1-f1"));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().path("status").asText()).isEqualTo("RUNNING");
        assertThat(accepted.header("Location")).isEqualTo("/api/sessions/orig-1/forks/orig-1-f1");
        assertThat(forkedWriterStarted.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(http.get("/api/sessions/orig-1/forks/orig-1-f1")
                        .json()
                        .path("status")
                        .asText())
                .as("the fork's Writer is still working")
                .isEqualTo("RUNNING");

        writerMayFinish.countDown();
        Eventually.await(
                "fork orig-1-f1 to end",
                () -> http.get("/api/sessions/orig-1/forks/orig-1-f1")
                        .json()
                        .path("status")
                        .asText(),
                "COMPLETED"::equals);
        JsonNode done = http.get("/api/sessions/orig-1/forks/orig-1-f1").json();
        assertThat(done.path("final_response").asText()).isEqualTo("forked report");
        Http.Response taken =
                http.post("/api/sessions", Map.of("topology", "notes", "task", "x", "session_id", "orig-1-f1"));
        assertThat(taken.status())
                .as("the fork's id is taken: a new session must not continue the fork as its next phase")
                .isEqualTo(409);
        assertThat(taken.body()).contains("orig-1-f1");
        assertThat(done.path("forked_from").asText()).isEqualTo("orig-1");
        assertThat(done.path("step").asInt()).isEqualTo(1);
        assertThat(done.path("divergence").isNull()).isTrue();
        assertThat(http.get("/api/sessions/orig-1-f1/steps")
                        .json()
                        .path("steps")
                        .get(0)
                        .path("copied_from")
                        .asText())
                .isEqualTo("orig-1");
        assertThat(writerCalls)
                .as("Finder's step was copied, Writer ran again once")
                .hasValue(2);
    }

    @Test
    void fork_whoseRecordCannotBeStored_is503_andMayBeAskedForAgain() {
        AtomicBoolean refuseForkRecords = new AtomicBoolean();
        StorageBackend storage = new ForwardingStorageBackend(StorageBackends.inMemory()) {
            @Override
            public long write(String key, byte[] value) {
                if (refuseForkRecords.get() && key.contains("/forks/")) {
                    throw new StateException("disk full writing " + key);
                }
                return super.write(key, value);
            }
        };
        try (OrchestraServer failing = TestServers.start(b -> b.topology(
                        "notes2",
                        Topology.builder()
                                .edge("Start -> Finder")
                                .edge("Finder -> End")
                                .build(),
                        AgentRegistry.create().register("Finder", r -> AgentResponse.finish("notes on " + r.input())))
                .stateManager(new StateManager(storage)))) {
            Http onIt = new Http(failing.url());
            onIt.post("/api/sessions", Map.of("topology", "notes2", "task", "owls", "session_id", "orig-2"));
            Eventually.await(
                    "session orig-2 to complete",
                    () -> onIt.get("/api/sessions/orig-2").json().path("status").asText(),
                    "COMPLETED"::equals);
            refuseForkRecords.set(true);

            Http.Response refused =
                    onIt.post("/api/sessions/orig-2/forks", Map.of("step", 1, "session_id", "orig-2-f"));
            assertThat(refused.status())
                    .as("a storage outage, which may be retried")
                    .isEqualTo(503);
            assertThat(refused.body()).contains("storage unavailable");

            refuseForkRecords.set(false);
            Http.Response again = onIt.post("/api/sessions/orig-2/forks", Map.of("step", 1, "session_id", "orig-2-f"));
            assertThat(again.status())
                    .as("nothing ran the first time: the id is free, not 'already exists'")
                    .isEqualTo(202);
            JsonNode done = Eventually.await(
                    "fork orig-2-f to end",
                    () -> onIt.get("/api/sessions/orig-2/forks/orig-2-f").json(),
                    j -> !j.path("status").asText().equals("RUNNING"));
            assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void fork_badRequests_areRefusedBeforeAnythingRuns() {
        assertThat(http.post("/api/sessions/orig-1/forks", Map.of("step", 9)).status())
                .as("no step 9 in the recording")
                .isEqualTo(409);
        assertThat(http.post("/api/sessions/orig-1/forks", Map.of("step", 1, "session_id", "orig-1"))
                        .status())
                .as("the new session id is taken")
                .isEqualTo(409);
        assertThat(http.post("/api/sessions/orig-1/forks", Map.of("step", 1.5)).status())
                .as("1.5 is no step number (it used to fork after step 1)")
                .isEqualTo(422);
        Http.Response numericId = http.post("/api/sessions/orig-1/forks", Map.of("step", 1, "session_id", 123));
        assertThat(numericId.status())
                .as("a session_id that is not a string is refused, not ignored")
                .isEqualTo(422);
        assertThat(numericId.body()).contains("session_id");
        assertThat(http.post("/api/sessions", Map.of("topology", "notes", "task", "t", "session_id", 42))
                        .status())
                .isEqualTo(422);
        assertThat(http.post("/api/sessions/nope/forks", Map.of("step", 1)).status())
                .isEqualTo(404);
        assertThat(http.get("/api/sessions/orig-1/forks/orig-1").status())
                .as("a session that is not a fork of orig-1")
                .isEqualTo(404);
        assertThat(writerCalls).hasValue(1);
    }
}
