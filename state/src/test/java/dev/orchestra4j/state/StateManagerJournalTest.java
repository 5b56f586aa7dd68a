package dev.orchestra4j.state;

import static dev.orchestra4j.state.Snapshots.JSON;
import static dev.orchestra4j.state.Snapshots.newSession;
import static dev.orchestra4j.state.Snapshots.payload;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.orchestra4j.state.internal.memory.MemoryCorruption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session journal of {@link StateManager}: events, compaction, fencing, redaction and retention. */
final class StateManagerJournalTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final StorageBackend backend = StorageBackends.inMemory(clock);
    private final StateManager manager =
            StateManager.builder(backend).clock(clock).build();

    @Test
    void appendEvents_thenReadEvents_returnsEventsInOrderWithSequences() {
        assertThat(manager.appendEvents("s-1", 0, List.of(event(1), event(2)))).isEqualTo(2);
        assertThat(manager.appendEvents("s-1", 2, List.of(event(3)))).isEqualTo(3);

        assertThat(manager.readEvents("s-1", 1))
                .containsExactly(new JournalEvent(2, event(2)), new JournalEvent(3, event(3)));
        assertThat(manager.lastEventSequence("s-1")).isEqualTo(3);
        assertThat(manager.lastEventSequence("other")).isZero();
    }

    @Test
    void appendEvents_staleOwner_throwsNamingSessionAndWritesNothing() {
        manager.appendEvents("s-1", 0, List.of(event(1), event(2)));

        assertThatThrownBy(() -> manager.appendEvents("s-1", 1, List.of(event(99))))
                .isInstanceOfSatisfying(ConcurrentSessionModificationException.class, e -> {
                    assertThat(e.sessionId()).isEqualTo("s-1");
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                })
                .hasMessageContaining("'s-1'");
        assertThat(manager.readEvents("s-1", 0)).hasSize(2);
    }

    @Test
    void saveSnapshot_compaction_stampsSnapshotAndDropsCoveredEvents() {
        manager.saveSession(newSession("s-1", T0));
        manager.appendEvents("s-1", 0, List.of(event(1), event(2), event(3)));
        SessionSnapshot loaded = manager.loadSession("s-1").orElseThrow();

        manager.saveSnapshot(loaded.withPayload(payload(2)), 2);

        SessionSnapshot compacted = manager.loadSession("s-1").orElseThrow();
        assertThat(compacted.journalSequence()).isEqualTo(2);
        assertThat(Snapshots.step(compacted)).isEqualTo(2);
        assertThat(manager.readEvents("s-1", 0)).containsExactly(new JournalEvent(3, event(3)));
        assertThat(manager.appendEvents("s-1", 3, List.of(event(4)))).isEqualTo(4);
    }

    @Test
    void saveSnapshot_throughBeyondLastEvent_rejectedAndNothingSaved() {
        manager.saveSession(newSession("s-1", T0));
        manager.appendEvents("s-1", 0, List.of(event(1)));
        SessionSnapshot loaded = manager.loadSession("s-1").orElseThrow();

        assertThatThrownBy(() -> manager.saveSnapshot(loaded, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("throughSequence 2 is beyond the last event 1 of session 's-1'; events appended later"
                        + " would be skipped");
        assertThat(manager.loadSession("s-1").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void redactor_throws_saveFailsNamingSessionAndPathAndStoresNothing() {
        StateManager failing = StateManager.builder(backend)
                .redactor((path, value) -> {
                    if (path.equals("/memory")) {
                        throw new IllegalStateException("boom");
                    }
                    return value;
                })
                .build();

        assertThatThrownBy(() -> failing.saveSession(newSession("s-1", T0)))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("path '/memory'");
        assertThatThrownBy(() -> failing.appendEvents("s-1", 0, List.of(payload(1))))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("session 's-1'");
        assertThat(backend.list("")).isEmpty();
        assertThat(backend.lastJournalSequence("sessions/s-1")).isZero();
    }

    @Test
    void saveSnapshot_crashBeforeTruncation_replayFromStampSkipsCoveredEvents() {
        StorageBackend crashing = new ForwardingStorageBackend(backend) {
            @Override
            public void truncateJournal(String key, long throughSequence) {
                throw new StateException("simulated crash before truncation");
            }
        };
        StateManager crashingManager = new StateManager(crashing);
        crashingManager.saveSession(newSession("s-1", T0));
        crashingManager.appendEvents("s-1", 0, List.of(event(1), event(2), event(3)));
        SessionSnapshot loaded = crashingManager.loadSession("s-1").orElseThrow();

        assertThatThrownBy(() -> crashingManager.saveSnapshot(loaded, 2)).hasMessageContaining("simulated crash");

        SessionSnapshot resumed = manager.loadSession("s-1").orElseThrow();
        assertThat(resumed.journalSequence()).isEqualTo(2);
        assertThat(manager.readEvents("s-1", 0)).hasSize(3);
        assertThat(manager.readEvents("s-1", resumed.journalSequence())).containsExactly(new JournalEvent(3, event(3)));
    }

    @Test
    void restoreCheckpoint_afterMoreEvents_dropsAbandonedEventsAndFencesOldOwner() {
        manager.saveSession(newSession("s-1", T0));
        String checkpoint = manager.createCheckpoint("s-1", "cp");
        manager.appendEvents("s-1", 0, List.of(event(1), event(2)));

        SessionSnapshot restored = manager.restoreCheckpoint(checkpoint);

        assertThat(manager.readEvents("s-1", restored.journalSequence())).isEmpty();
        assertThatThrownBy(() -> manager.appendEvents("s-1", 2, List.of(event(3))))
                .isInstanceOf(ConcurrentSessionModificationException.class);
        long fence = manager.lastEventSequence("s-1");
        assertThat(manager.appendEvents("s-1", fence, List.of(event(3)))).isEqualTo(fence + 1);
        assertThat(manager.readEvents("s-1", restored.journalSequence()))
                .containsExactly(new JournalEvent(fence + 1, event(3)));
    }

    @Test
    void deleteSession_withJournal_removesJournal() {
        manager.saveSession(newSession("s-1", T0));
        manager.appendEvents("s-1", 0, List.of(event(1)));

        assertThat(manager.deleteSession("s-1")).isTrue();

        assertThat(manager.readEvents("s-1", 0)).isEmpty();
        assertThat(manager.lastEventSequence("s-1")).isZero();
    }

    @Test
    void readEvents_flippedBitInStoredEvent_throwsNamingSessionAndEntry() {
        manager.appendEvents("s-1", 0, List.of(event(1), event(2)));

        MemoryCorruption.flipJournalBit(backend, "sessions/s-1", 2);

        assertThatThrownBy(() -> manager.readEvents("s-1", 0))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("entry 2");
    }

    @Test
    void redactor_seesEveryPathAndReplacesSecretsInSnapshotsAndEvents_callerTreesUnchanged() {
        List<String> paths = new ArrayList<>();
        StateManager redacting = StateManager.builder(backend)
                .redactor((path, value) -> {
                    paths.add(path);
                    return value.isTextual() && value.textValue().contains("sk-secret")
                            ? TextNode.valueOf("***")
                            : value;
                })
                .build();
        ObjectNode payload = payload(1);
        payload.putObject("context").putObject("openai").put("key", "sk-secret-123");
        payload.putArray("trace").add("calling with sk-secret-123").add("ok");
        ObjectNode event = JSON.createObjectNode().put("tool", "search");
        event.putObject("args").put("a/b~c", "sk-secret-123");

        redacting.saveSession(newSession("s-1", T0).withPayload(payload));
        redacting.appendEvents("s-1", 0, List.of(event));

        assertThat(new String(backend.read("sessions/s-1").orElseThrow().value(), UTF_8))
                .doesNotContain("sk-secret");
        assertThat(new String(backend.readJournal("sessions/s-1", 0).getFirst().data(), UTF_8))
                .doesNotContain("sk-secret");
        JsonNode loaded = redacting.loadSession("s-1").orElseThrow().payload();
        assertThat(loaded.at("/context/openai/key").textValue()).isEqualTo("***");
        assertThat(loaded.at("/trace/0").textValue()).isEqualTo("***");
        assertThat(loaded.at("/trace/1").textValue()).isEqualTo("ok");
        assertThat(redacting
                        .readEvents("s-1", 0)
                        .getFirst()
                        .data()
                        .at("/args/a~1b~0c")
                        .textValue())
                .isEqualTo("***");
        assertThat(payload.at("/context/openai/key").textValue()).isEqualTo("sk-secret-123");
        assertThat(paths).contains("", "/context", "/context/openai/key", "/trace/0", "/args/a~1b~0c");
    }

    @Test
    void saveSession_stringLongerThanJacksonDefaultLimit_loadsBack() {
        String huge = "x".repeat(21_000_000);
        manager.saveSession(
                newSession("s-1", T0).withPayload(JSON.createObjectNode().put("memory", huge)));
        manager.appendEvents("s-1", 0, List.of(JSON.createObjectNode().put("memory", huge)));

        assertThat(manager.loadSession("s-1")
                        .orElseThrow()
                        .payload()
                        .get("memory")
                        .textValue())
                .hasSize(21_000_000);
        assertThat(manager.readEvents("s-1", 0).getFirst().data().get("memory").textValue())
                .hasSize(21_000_000);
    }

    @Test
    void save_withRetention_purgesExpiredSessionsByItself() {
        StateManager retaining = StateManager.builder(backend)
                .retention(Duration.ofDays(1))
                .clock(clock)
                .build();
        retaining.saveSession(newSession("old", T0));
        retaining.createCheckpoint("old", "cp");
        clock.advance(Duration.ofDays(2));

        retaining.saveSession(newSession("new", clock.instant()));

        assertThat(retaining.loadSession("old")).isEmpty();
        assertThat(retaining.listCheckpoints("old")).isEmpty();
        assertThat(retaining.loadSession("new")).isPresent();
    }

    @Test
    void purgeExpired_oldSnapshotButRecentEvents_keepsSession() {
        StateManager retaining = StateManager.builder(backend)
                .retention(Duration.ofDays(1))
                .clock(clock)
                .build();
        retaining.saveSession(newSession("busy", T0));
        clock.advance(Duration.ofDays(2));
        retaining.appendEvents("busy", 0, List.of(event(1)));

        assertThat(retaining.purgeExpired()).isZero();
        assertThat(retaining.loadSession("busy")).isPresent();
    }

    @Test
    void appendEncodedEvents_storesTheBytesAsGivenAndReadsThemBackAsEvents() {
        byte[] first = "{\"type\":\"step\",\"n\":1}".getBytes(UTF_8);

        assertThat(manager.appendEncodedEvents("s-1", 0, List.of(first))).isEqualTo(1);
        assertThat(manager.appendEvents("s-1", 1, List.of(event(2)))).isEqualTo(2);

        assertThat(backend.readJournal("sessions/s-1", 0).getFirst().data()).isEqualTo(first);
        assertThat(manager.readEvents("s-1", 0)).extracting(JournalEvent::data).containsExactly(event(1), event(2));
    }

    @Test
    void appendEncodedEvents_callerChangesItsArrayAfterwards_storedEventUnchanged() {
        byte[] bytes = "{\"n\":1}".getBytes(UTF_8);
        manager.appendEncodedEvents("s-1", 0, List.of(bytes));

        bytes[5] = '7';

        assertThat(manager.readEvents("s-1", 0).getFirst().data().path("n").asInt())
                .isEqualTo(1);
    }

    @Test
    void appendEncodedEvents_notAJsonObject_throwsNamingSessionAndWritesNothing() {
        assertThatThrownBy(() -> manager.appendEncodedEvents("s-1", 0, List.of("[1,2]".getBytes(UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> manager.appendEncodedEvents("s-1", 0, List.of(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(manager.lastEventSequence("s-1")).isZero();
    }

    @Test
    void appendEncodedEvents_staleOwner_throwsNamingSession() {
        manager.appendEvents("s-1", 0, List.of(event(1)));

        assertThatThrownBy(() -> manager.appendEncodedEvents("s-1", 0, List.of("{}".getBytes(UTF_8))))
                .isInstanceOf(ConcurrentSessionModificationException.class)
                .hasMessageContaining("s-1");
        assertThat(manager.readEvents("s-1", 0)).hasSize(1);
    }

    @Test
    void appendEncodedEvents_withRedactor_redactsLikeEveryEvent() {
        StateManager redacting = StateManager.builder(backend)
                .clock(clock)
                .redactor((path, value) ->
                        value.isTextual() && value.textValue().contains("sk-secret") ? TextNode.valueOf("***") : value)
                .build();

        redacting.appendEncodedEvents("s-1", 0, List.of("{\"key\":\"sk-secret-1\"}".getBytes(UTF_8)));

        assertThat(new String(backend.readJournal("sessions/s-1", 0).getFirst().data(), UTF_8))
                .doesNotContain("sk-secret");
        assertThat(redacting.readEvents("s-1", 0).getFirst().data().path("key").asText())
                .isEqualTo("***");
    }

    @Test
    void readEvents_anEventTheRedactorChanged_isReadBackRedacted_andTheOthersAreNot() {
        StateManager redacting = StateManager.builder(backend)
                .clock(clock)
                .redactor((path, value) -> path.equals("/args/email")
                        ? TextNode.valueOf("[email]")
                        : value.isTextual() ? TextNode.valueOf(value.textValue()) : value) // an equal copy keeps it
                .build();
        ObjectNode changed = JSON.createObjectNode().put("tool", "mail");
        changed.putObject("args").put("email", "ada@example.org");
        ObjectNode kept = JSON.createObjectNode().put("tool", "search");
        kept.putObject("args").put("query", "engines");

        redacting.appendEvents("s-1", 0, List.of(changed, kept));
        redacting.appendEncodedEvents("s-1", 2, List.of(changed.toString().getBytes(UTF_8)));

        List<JournalEvent> events = redacting.readEvents("s-1", 0);
        assertThat(events).extracting(JournalEvent::redacted).containsExactly(true, false, true);
        assertThat(events.getFirst().data())
                .as("the mark is no part of the event")
                .isEqualTo(JSON.createObjectNode()
                        .put("tool", "mail")
                        .set("args", JSON.createObjectNode().put("email", "[email]")));
        assertThat(events.get(1)).isEqualTo(new JournalEvent(2, kept));
        assertThat(manager.readEvents("s-1", 0))
                .as("whoever reads the journal, with or without a redactor")
                .extracting(JournalEvent::redacted)
                .containsExactly(true, false, true);
    }

    @Test
    void appendEvents_anEventHoldingTheRedactionMark_isRefusedAndNothingIsStored() {
        ObjectNode forged = event(1).put("@redacted", true);

        assertThatThrownBy(() -> manager.appendEvents("s-1", 0, List.of(forged)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("'@redacted'");
        assertThat(backend.lastJournalSequence("sessions/s-1")).isZero();
    }

    @Test
    void readEvents_aMarkThatIsNotTrue_isUnreadableNamingTheEntry() {
        backend.appendJournal("sessions/s-1", 0, List.of("{\"n\":1,\"@redacted\":\"yes\"}".getBytes(UTF_8)));

        assertThatThrownBy(() -> manager.readEvents("s-1", 0))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("journal entry 1 of session 's-1'")
                .hasMessageContaining("'@redacted' must be true");
    }

    private static ObjectNode event(int step) {
        return JSON.createObjectNode().put("type", "step").put("n", step);
    }
}
