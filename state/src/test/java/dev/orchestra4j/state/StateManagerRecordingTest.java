package dev.orchestra4j.state;

import static dev.orchestra4j.state.Snapshots.JSON;
import static dev.orchestra4j.state.Snapshots.newSession;
import static dev.orchestra4j.state.Snapshots.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recording journal of {@link StateManager}: survives compaction, is fenced, redacted and deleted with the session. */
final class StateManagerRecordingTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final StorageBackend backend = StorageBackends.inMemory(clock);

    private static JsonNode event(String text) {
        return JSON.createObjectNode().put("t", "step").put("text", text);
    }

    @Test
    void appendRecording_survivesCompactionOfTheSessionJournalAndIsSeparateFromIt() {
        StateManager manager = StateManager.builder(backend).clock(clock).build();
        manager.saveSession(newSession("s-1", T0));
        manager.appendEvents("s-1", 0, List.of(event("delta")));
        assertThat(manager.appendRecording("s-1", 0, List.of(event("a"), event("b"))))
                .isEqualTo(2);

        manager.saveSnapshot(manager.loadSession("s-1").orElseThrow().withPayload(payload(1)), 1);

        assertThat(manager.readEvents("s-1", 0)).isEmpty();
        assertThat(manager.readRecording("s-1", 0))
                .containsExactly(new JournalEvent(1, event("a")), new JournalEvent(2, event("b")));
        assertThat(manager.readRecording("s-1", 1)).containsExactly(new JournalEvent(2, event("b")));
        assertThat(manager.lastRecordingSequence("s-1")).isEqualTo(2);
        assertThat(manager.lastEventSequence("s-1")).isEqualTo(1);
        assertThat(manager.listSessions()).extracting(SessionSummary::sessionId).containsExactly("s-1");
    }

    @Test
    void appendRecording_staleWriter_rejectedNamingTheSessionAndNothingWritten() {
        StateManager manager = StateManager.builder(backend).clock(clock).build();
        manager.appendRecording("s-1", 0, List.of(event("a")));

        assertThatThrownBy(() -> manager.appendRecording("s-1", 0, List.of(event("b"))))
                .isInstanceOf(ConcurrentSessionModificationException.class)
                .hasMessageContaining("'s-1'");
        assertThat(manager.readRecording("s-1", 0)).hasSize(1);
    }

    @Test
    void appendRecording_passesTheRedactor() {
        StateManager manager = StateManager.builder(backend)
                .clock(clock)
                .redactor((path, value) -> path.equals("/text") ? TextNode.valueOf("***") : value)
                .build();

        manager.appendRecording("s-1", 0, List.of(event("sk-secret")));

        assertThat(manager.readRecording("s-1", 0).getFirst().data().get("text").asText())
                .isEqualTo("***");
    }

    @Test
    void deleteSession_deletesTheRecordingToo() {
        StateManager manager = StateManager.builder(backend).clock(clock).build();
        manager.saveSession(newSession("s-1", T0));
        manager.appendRecording("s-1", 0, List.of(event("a")));

        assertThat(manager.deleteSession("s-1")).isTrue();

        assertThat(manager.readRecording("s-1", 0)).isEmpty();
        assertThat(manager.lastRecordingSequence("s-1")).isZero();
    }

    @Test
    void readRecording_invalidSessionId_rejectedNamingIt() {
        StateManager manager = StateManager.builder(backend).clock(clock).build();

        assertThatThrownBy(() -> manager.readRecording("../x", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../x");
    }

    @Test
    void loadCheckpoint_returnsItsContentWithoutRestoringTheSession() {
        StateManager manager = StateManager.builder(backend).clock(clock).build();
        manager.saveSession(newSession("s-1", T0).withPayload(payload(1)));
        String id = manager.createCheckpoint("s-1", "first");
        SessionSnapshot current = manager.loadSession("s-1").orElseThrow();
        manager.saveSession(current.withPayload(payload(2)));

        assertThat(Snapshots.step(manager.loadCheckpoint(id))).isEqualTo(1);
        assertThat(Snapshots.step(manager.loadSession("s-1").orElseThrow())).isEqualTo(2);
        assertThatThrownBy(() -> manager.loadCheckpoint("s-1/000009-none"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("s-1/000009-none");
    }
}
