package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.event.BarrierKind;
import dev.orchestra4j.state.StateException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A journal entry carries every change since the last one and nothing unchanged: after each kind of change (see {@link
 * JournalScenario}) the state recovered from the snapshot plus the entries, written and read as bytes, equals the live
 * one; entries written by the version before the typed records (hand-built trees) still recover the same state.
 */
final class JournalDeltaTest {

    private static final String SESSION = JournalScenario.SESSION;

    @Test
    void next_eachKindOfChange_survivesRecoveryThroughTheJournal() throws IOException {
        SessionState live = JournalScenario.start();
        JsonNode snapshot = SnapshotCodec.encode(SESSION, live, "go");
        JournalDelta delta = new JournalDelta();
        delta.baseline(live);
        SessionState recovered = SnapshotCodec.decode(SESSION, snapshot);
        long sequence = 0;
        for (JournalScenario.Step step : JournalScenario.steps()) {
            step.change().accept(live);
            byte[] entry = JournalCodec.bytes(delta.next(live, List.of()));
            JournalCodec.apply(SESSION, recovered, ++sequence, SnapshotValues.MAPPER.readTree(entry));
            assertThat(SnapshotCodec.encode(SESSION, recovered, "go"))
                    .as("recovered after: %s", step.what())
                    .isEqualTo(SnapshotCodec.encode(SESSION, live, "go"));
        }
    }

    @Test
    void apply_entriesOfThePreviousFormat_recoverTheSameState() throws IOException {
        JsonNode fixture = fixture();
        SessionState recovered = SnapshotCodec.decode(SESSION, fixture.get("snapshot"));
        long sequence = 0;
        for (JsonNode entry : fixture.get("entries")) {
            JournalCodec.apply(SESSION, recovered, ++sequence, entry);
        }
        assertThat(sequence).isEqualTo(JournalScenario.steps().size());
        // as read from text, like the fixture (an int read back is an IntNode where the encoder made a LongNode)
        JsonNode state = SnapshotValues.MAPPER.readTree(
                SnapshotCodec.encode(SESSION, recovered, "go").toString());
        assertThat(state).isEqualTo(fixture.get("expected"));
    }

    @Test
    void next_sameScenario_writesWhatThePreviousFormatWrote() throws IOException {
        JsonNode fixture = fixture();
        SessionState live = JournalScenario.start();
        JournalDelta delta = new JournalDelta();
        delta.baseline(live);
        List<JsonNode> written = new ArrayList<>();
        for (JournalScenario.Step step : JournalScenario.steps()) {
            step.change().accept(live);
            written.add(SnapshotValues.MAPPER.readTree(JournalCodec.bytes(delta.next(live, List.of()))));
        }
        for (int i = 0; i < written.size(); i++) {
            assertThat(written.get(i))
                    .as("entry after: %s", JournalScenario.steps().get(i).what())
                    .isEqualTo(fixture.get("entries").get(i));
        }
    }

    @Test
    void next_nothingChanged_writesNoBranchOrBarrier() {
        SessionState live = JournalScenario.start();
        JournalDelta delta = new JournalDelta();
        delta.baseline(live);

        JournalRecord.Step step = delta.next(live, List.of());

        assertThat(step.branches()).isEmpty();
        assertThat(step.barriers()).isEmpty();
        assertThat(step.removedBranches()).isEmpty();
    }

    @Test
    void next_oneOfTwoBranchesChanged_writesOnlyThatOne() {
        SessionState live = JournalScenario.start();
        Branch other = new Branch(
                live.newBranchId(),
                null,
                BarrierKind.ROOT,
                "r1",
                "Z",
                "z",
                null,
                JournalScenario.T0,
                new BranchState.Ready());
        live.branches.put(other.id, other);
        JournalDelta delta = new JournalDelta();
        delta.baseline(live);

        live.branch("b1").steering++;
        JournalRecord.Step step = delta.next(live, List.of());

        assertThat(step.branches()).extracting(JournalRecord.BranchPart::id).containsExactly("b1");
        assertThat(step.branches().getFirst().agentsFrom()).isEqualTo(1);
        assertThat(delta.next(live, List.of()).branches()).isEmpty();
    }

    @Test
    void next_memoryChangedInPlace_isWritten() {
        SessionState live = JournalScenario.start();
        JournalScenario.steps().getFirst().change().accept(live);
        JournalDelta delta = new JournalDelta();
        delta.baseline(live);

        live.branch("b1").memory.get("A").add(dev.langchain4j.data.message.UserMessage.from("more"));
        JournalRecord.Step step = delta.next(live, List.of());

        assertThat(step.branches()).singleElement().satisfies(b -> assertThat(b.memory())
                .containsOnlyKeys("A"));
    }

    @Test
    void next_stepRecords_rideInTheEntry() throws IOException {
        SessionState live = JournalScenario.start();
        JournalDelta delta = new JournalDelta();
        delta.baseline(live);
        ObjectNode record = SnapshotValues.MAPPER.createObjectNode().put("step", 1);

        JsonNode entry = SnapshotValues.MAPPER.readTree(JournalCodec.bytes(delta.next(live, List.of(record))));

        assertThat(entry.path("t").asText()).isEqualTo("step");
        assertThat(entry.path(JournaledRecords.FIELD)).containsExactly(record);
        assertThat(SnapshotValues.MAPPER
                        .readTree(JournalCodec.bytes(delta.next(live, List.of())))
                        .has("records"))
                .isFalse();
    }

    @Test
    void apply_entryMissingAPart_failsNamingTheSessionAndTheEntry() throws IOException {
        ObjectNode entry = (ObjectNode) fixture().get("entries").get(0).deepCopy();
        entry.remove("counters");
        SessionState st = SnapshotCodec.decode(SESSION, fixture().get("snapshot"));

        assertThatThrownBy(() -> JournalCodec.apply(SESSION, st, 7, entry))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("journal entry 7 of session '" + SESSION + "'")
                .hasMessageContaining("counters");
    }

    @Test
    void apply_entryWithAnUnknownField_failsNamingIt() throws IOException {
        ObjectNode entry = (ObjectNode) fixture().get("entries").get(0).deepCopy();
        entry.put("surprise", 1);
        SessionState st = SnapshotCodec.decode(SESSION, fixture().get("snapshot"));

        assertThatThrownBy(() -> JournalCodec.apply(SESSION, st, 3, entry))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("journal entry 3 of session '" + SESSION + "'")
                .hasMessageContaining("surprise");
    }

    @Test
    void apply_claimAndRestoreMarker_changeNothing() throws IOException {
        SessionState st = SnapshotCodec.decode(SESSION, fixture().get("snapshot"));
        JsonNode before = SnapshotCodec.encode(SESSION, st, "go");

        JournalCodec.apply(SESSION, st, 1, SnapshotValues.MAPPER.readTree("{\"t\":\"claim\"}"));
        JournalCodec.apply(SESSION, st, 2, SnapshotValues.MAPPER.valueToTree(Map.of("@restored", "cp-1")));

        assertThat(SnapshotCodec.encode(SESSION, st, "go")).isEqualTo(before);
    }

    /** Snapshot, entries and the state they lead to, written by the hand-built-tree journal before the records. */
    private static JsonNode fixture() throws IOException {
        try (InputStream in = JournalDeltaTest.class.getResourceAsStream("journal-step-v1.json")) {
            return SnapshotValues.MAPPER.readTree(in);
        }
    }
}
