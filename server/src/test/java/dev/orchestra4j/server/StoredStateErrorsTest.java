package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client hears when storage cannot give a session back: an outage is 503 with Retry-After (asking again may
 * work), stored bytes that cannot be read are 500 naming the session and the cause, without Retry-After (asking again
 * reads the same bytes).
 */
final class StoredStateErrorsTest {

    private enum Mode {
        READS,
        DAMAGED,
        IS_DOWN
    }

    private volatile Mode mode = Mode.READS;
    private OrchestraServer server;
    private Http http;

    @BeforeEach
    void start() {
        var storage = new ForwardingStorageBackend(StorageBackends.inMemory()) {
            @Override
            public List<JournalEntry> readJournal(String key, long afterSequence) {
                List<JournalEntry> entries = super.readJournal(key, afterSequence);
                if (!key.equals("sessions/kept-1")) { // the session's journal; the server keeps records too
                    return entries;
                }
                return switch (mode) {
                    case READS -> entries;
                    case IS_DOWN -> throw new StateException("connection refused reading " + key);
                    case DAMAGED -> // as a backend without checksums would hand back a torn entry
                        entries.stream()
                                .map(e -> new JournalEntry(e.sequence(), Arrays.copyOf(e.data(), e.data().length / 2)))
                                .toList();
                };
            }
        };
        server = TestServers.start(b -> b.topology(
                        "echo",
                        Topology.builder()
                                .edge("Start -> Echo")
                                .edge("Echo -> End")
                                .build(),
                        AgentRegistry.create().register("Echo", r -> AgentResponse.finish("heard " + r.input())))
                .stateManager(new StateManager(storage)));
        http = new Http(server.url());
        http.post("/api/sessions", Map.of("topology", "echo", "task", "owls", "session_id", "kept-1"));
        Eventually.await(
                "session kept-1 to complete",
                () -> http.get("/api/sessions/kept-1").json().path("status").asText(),
                "COMPLETED"::equals);
    }

    @AfterEach
    void stop() {
        mode = Mode.READS;
        server.close();
    }

    @Test
    void aSessionWhoseStoredJournalIsDamaged_is500NamingIt_withoutRetryAfter() {
        mode = Mode.DAMAGED;

        Http.Response response = http.get("/api/sessions/kept-1/steps");

        assertThat(response.status()).as(response.body()).isEqualTo(500);
        assertThat(response.json().path("detail").asText())
                .startsWith("stored state cannot be read: ")
                .contains("session 'kept-1'")
                .contains("malformed JSON");
        assertThat(response.header("Retry-After")).isNull();
    }

    @Test
    void aStorageOutage_is503_withRetryAfter() {
        mode = Mode.IS_DOWN;

        Http.Response response = http.get("/api/sessions/kept-1/steps");

        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.json().path("detail").asText()).startsWith("storage unavailable");
        assertThat(response.header("Retry-After")).isEqualTo("1");
    }
}
