package dev.orchestra4j.state.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

final class SnapshotCodecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final SnapshotCodec codec = new SnapshotCodec();

    @Property(tries = 1000)
    void decode_encodedSnapshot_roundTripsExactly(
            @ForAll String status,
            @ForAll String text,
            @ForAll List<Integer> numbers,
            @ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
            @ForAll boolean compress) {
        ObjectNode payload = JSON.createObjectNode().put("text", text);
        numbers.forEach(payload.putArray("numbers")::add);
        Instant time = Instant.ofEpochSecond(seconds, nanos);
        SessionSnapshot snapshot = new SessionSnapshot(1, "s-1", 0, status, time, time, text, "digest", payload);

        SessionSnapshot decoded = codec.decode(codec.encode(snapshot, compress), "session 's-1'", "s-1", 7);

        assertThat(decoded).isEqualTo(snapshot.withVersion(7));
    }

    @Example
    void decode_nullPayload_roundTrips() {
        SessionSnapshot snapshot = SessionSnapshot.create(
                "s-1", "DONE", Instant.EPOCH, "{}", "d", JSON.getNodeFactory().nullNode());

        assertThat(codec.decode(codec.encode(snapshot, false), "session 's-1'", "s-1", 1))
                .isEqualTo(snapshot.withVersion(1));
    }

    @Property(tries = 1000)
    void decode_truncatedEncoding_throwsStateExceptionNeverPartialSnapshot(
            @ForAll String text, @ForAll boolean compress, @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        ObjectNode payload = JSON.createObjectNode().put("text", text);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        byte[] encoded = codec.encode(SessionSnapshot.create("s-1", "RUNNING", now, "{}", "d", payload), compress);
        byte[] truncated = Arrays.copyOf(encoded, Math.max(0, encoded.length - cut));

        assertThatThrownBy(() -> codec.decode(truncated, "session 's-1'", "s-1", 1))
                .isInstanceOf(StateException.class)
                .hasMessageStartingWith("Cannot read session 's-1'");
    }
}
