package dev.orchestra4j.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unreadable stored data is always a {@link StateException} naming the session and the field. */
final class StateManagerCorruptDataTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String VALID = """
            {"schemaVersion":1,"sessionId":"s-1","status":"RUNNING","createdAt":"2026-03-01T10:00:00Z",\
            "updatedAt":"2026-03-01T10:00:00Z","topologyDigest":"d","topologyJson":"{}","payload":{"step":1}}""";

    private final StorageBackend backend = StorageBackends.inMemory();
    private final StateManager manager = new StateManager(backend);

    @Test
    void loadSession_handWrittenValidEnvelope_decodes() {
        store(VALID);

        SessionSnapshot snapshot = manager.loadSession("s-1").orElseThrow();

        assertThat(snapshot.version()).isEqualTo(1);
        assertThat(snapshot.createdAt()).isEqualTo(T0);
        assertThat(Snapshots.step(snapshot)).isEqualTo(1);
    }

    @Test
    void loadSession_garbageBytes_throwsNamingSessionAndHeader() {
        backend.write("sessions/s-1", "definitely not a snapshot".getBytes(UTF_8));

        assertThatThrownBy(() -> manager.loadSession("s-1"))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("'O4JS' header");
    }

    @Test
    void loadSession_truncatedGzip_throwsNamingSessionAndChecksum() {
        StateManager compressing =
                StateManager.builder(backend).compression(true).build();
        compressing.saveSession(Snapshots.newSession("s-1", T0));
        byte[] stored = backend.read("sessions/s-1").orElseThrow().value();
        backend.write("sessions/s-1", Arrays.copyOf(stored, stored.length - 12));

        assertThatThrownBy(() -> compressing.loadSession("s-1"))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("CRC32C checksum does not match");
        assertThatThrownBy(() -> manager.loadSession("s-1")).isInstanceOf(UnreadableStateException.class);
    }

    @Test
    void loadSession_truncatedJson_throwsNamingSessionAndMalformedJson() {
        store(VALID.substring(0, VALID.length() / 2));

        assertThatThrownBy(() -> manager.loadSession("s-1"))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("malformed JSON");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"schemaVersion\":1|\"schemaVersion\":2|field 'schemaVersion' is 2, newer than the supported 1",
                "\"schemaVersion\":1|\"schemaVersion\":\"1\"|field 'schemaVersion' must be a positive integer",
                "\"status\":\"RUNNING\",|''|missing field 'status'",
                ",\"payload\":{\"step\":1}|''|missing field 'payload'",
                "\"payload\"|\"extra\":1,\"payload\"|field 'extra' is not a known envelope field",
                "\"sessionId\":\"s-1\"|\"sessionId\":\"s-2\"|field 'sessionId' holds 's-2', expected 's-1'",
                "\"createdAt\":\"2026-03-01T10:00:00Z\"|\"createdAt\":\"yesterday\"|field 'createdAt' must be an ISO-8601",
                "\"topologyDigest\":\"d\"|\"topologyDigest\":7|field 'topologyDigest' must be a string",
                "\"status\":\"RUNNING\"|\"status\":\"RUNNING\",\"status\":\"DONE\"|malformed JSON",
            })
    void loadSession_brokenEnvelope_throwsNamingSessionAndField(String from, String to, String expected) {
        store(VALID.replace(from, to));

        assertThatThrownBy(() -> manager.loadSession("s-1"))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining(expected);
    }

    @Test
    void loadSession_corruptData_notCachedAndStillFailsOnRetry() {
        store("[1,2,3]");

        assertThatThrownBy(() -> manager.loadSession("s-1")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> manager.loadSession("s-1")).isInstanceOf(UnreadableStateException.class);
    }

    @Test
    void restoreCheckpoint_corruptCheckpoint_throwsNamingCheckpointAndKeepsSession() {
        manager.saveSession(Snapshots.newSession("s-1", T0));
        String id = manager.createCheckpoint("s-1", "cp");
        backend.write("checkpoints/" + id, encoded("{"));

        assertThatThrownBy(() -> manager.restoreCheckpoint(id))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("checkpoint 's-1/000001-cp' of session 's-1'");
        assertThat(manager.loadSession("s-1")).map(SessionSnapshot::version).contains(1L);
    }

    @Test
    void createCheckpoint_corruptSession_throwsAndCreatesNothing() {
        store(VALID.replace("\"status\":\"RUNNING\",", ""));

        assertThatThrownBy(() -> manager.createCheckpoint("s-1", "cp"))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("missing field 'status'");
        assertThat(manager.listCheckpoints("s-1")).isEmpty();
    }

    @Test
    void loadSession_snapshotWithoutChecksumFromBeforeChecksums_throwsNamingSession() {
        backend.write("sessions/s-1", ("O4JSj" + VALID).getBytes(UTF_8));

        assertThatThrownBy(() -> manager.loadSession("s-1"))
                .isInstanceOf(UnreadableStateException.class)
                .hasMessageContaining("session 's-1'")
                .hasMessageContaining("unknown encoding byte");
    }

    @Test
    void loadSession_everySingleBitFlipped_detectedNeverDecoded() {
        manager.saveSession(Snapshots.newSession("s-1", T0));
        byte[] stored = backend.read("sessions/s-1").orElseThrow().value();

        for (int bit = 0; bit < stored.length * 8; bit++) {
            byte[] flipped = stored.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            backend.write("sessions/s-1", flipped);

            assertThatThrownBy(() -> manager.loadSession("s-1"))
                    .as("bit %d", bit)
                    .isInstanceOf(UnreadableStateException.class)
                    .hasMessageContaining("session 's-1'");
        }
    }

    private void store(String json) {
        backend.write("sessions/s-1", encoded(json));
    }

    /** A plain snapshot with a correct checksum: "O4JS", 'c', CRC32C of 'c' and the body, the body. */
    static byte[] encoded(String json) {
        byte[] body = json.getBytes(UTF_8);
        CRC32C crc = new CRC32C();
        crc.update('c');
        crc.update(body);
        return ByteBuffer.allocate(9 + body.length)
                .put("O4JSc".getBytes(UTF_8))
                .putInt((int) crc.getValue())
                .put(body)
                .array();
    }
}
