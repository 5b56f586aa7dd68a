package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.StateException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** A session's snapshot payload, written and read through {@link SnapshotRecord}. */
final class SnapshotCodecTest {

    private static final String SESSION = JournalScenario.SESSION;

    @Test
    void encode_everyKindOfState_isWhatThePreviousHandWrittenCodecWrote() throws IOException {
        SessionState st = JournalScenario.start();
        JournalScenario.steps().forEach(step -> step.change().accept(st));

        JsonNode written = SnapshotValues.MAPPER.readTree(
                SnapshotCodec.encode(SESSION, st, "go").toString());

        assertThat(written).isEqualTo(fixture().get("expected"));
    }

    @Test
    void decode_payloadOfThePreviousCodec_readsBackTheSameState() throws IOException {
        JsonNode old = fixture().get("expected");

        SessionState st = SnapshotCodec.decode(SESSION, old);

        assertThat(SnapshotValues.MAPPER.readTree(
                        SnapshotCodec.encode(SESSION, st, "go").toString()))
                .isEqualTo(old);
    }

    @Test
    void decode_withMaxStepsAndWithoutResultMetadata_reads() throws IOException {
        ObjectNode payload = (ObjectNode) fixture().get("snapshot").deepCopy();
        payload.put("maxSteps", 12);
        payload.remove("resultMetadata");

        assertThat(SnapshotCodec.decode(SESSION, payload).branches).containsOnlyKeys("b1");
    }

    @Test
    void decode_missingPart_failsNamingTheSessionAndThePart() throws IOException {
        ObjectNode payload = (ObjectNode) fixture().get("snapshot").deepCopy();
        payload.remove("barriers");

        assertThatThrownBy(() -> SnapshotCodec.decode(SESSION, payload))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("snapshot of session '" + SESSION + "' is corrupt")
                .hasMessageContaining("barriers");
    }

    @Test
    void decode_partialBranch_failsNamingIt() throws IOException {
        ObjectNode payload = (ObjectNode) fixture().get("snapshot").deepCopy();
        ((ObjectNode) payload.get("branches").get(0)).put("agentsFrom", 1);

        assertThatThrownBy(() -> SnapshotCodec.decode(SESSION, payload))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("branch 'b1'");
    }

    @Test
    void decode_notAnObject_failsNamingTheSession() {
        assertThatThrownBy(() -> SnapshotCodec.decode(
                        SESSION, SnapshotValues.MAPPER.getNodeFactory().textNode("x")))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("session '" + SESSION + "' has no engine state");
    }

    private static JsonNode fixture() throws IOException {
        try (InputStream in = SnapshotCodecTest.class.getResourceAsStream("journal-step-v1.json")) {
            return SnapshotValues.MAPPER.readTree(in);
        }
    }
}
