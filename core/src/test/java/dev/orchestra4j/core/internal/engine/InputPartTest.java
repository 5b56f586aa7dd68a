package dev.orchestra4j.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine's inputs as a journal entry carries them: every kind round-trips, and reading is strict. */
final class InputPartTest {

    private static final ObjectReader READER = SnapshotValues.MAPPER
            .readerFor(InputPart.class)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Instant AT = Instant.parse("2026-12-03T19:27:01.123456789Z");

    @Test
    void everyKindOfInput_roundTripsThroughItsJson() throws Exception {
        List<Accepted.Input> inputs = List.of(
                new Accepted.Begin(AT),
                new Accepted.Took(AT, new Signal.StepTimedOut("b2", 7)),
                new Accepted.Took(AT, new Signal.Wake()),
                new Accepted.Took(AT, new Signal.UserAnswer("q1", "yes", null)),
                new Accepted.Took(AT, new Signal.UserAnswer("q2", null, new IllegalStateException("channel down"))),
                new Accepted.Took(AT, new Signal.Pause("maintenance")),
                new Accepted.Took(AT, new Signal.Cancel("user")),
                new Accepted.Settled(AT),
                new Accepted.Admitted(),
                new Accepted.Started("b3", true),
                new Accepted.Started(null, false),
                new Accepted.Checkpointed("s/000001-c1"));

        for (InputPart part : InputPart.all(inputs)) {
            String json = SnapshotValues.MAPPER.writerFor(InputPart.class).writeValueAsString(part);
            assertThat((InputPart) READER.readValue(json)).as(json).isEqualTo(part);
        }
        InputPart.Answer failed =
                (InputPart.Answer) InputPart.all(List.of(inputs.get(4))).getFirst();
        assertThat(failed.error())
                .as("the failure as the machine describes it")
                .isEqualTo("IllegalStateException: channel down");
    }

    @Test
    void anInstant_keepsItsNanoseconds_alsoBeforeTheEpoch() {
        for (Instant at : List.of(AT, Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"))) {
            assertThat(InputPart.instant(InputPart.nanos(at))).isEqualTo(at);
        }
        assertThatThrownBy(() -> InputPart.nanos(Instant.parse("2300-01-01T00:00:00Z")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aMissingInstant_anUnknownKindAndAnUnknownField_areRefused() {
        assertThatThrownBy(() -> READER.readValue("{\"i\":\"settle\"}")).hasMessageContaining("at");
        assertThatThrownBy(() -> READER.readValue("{\"i\":\"jump\",\"at\":1}")).hasMessageContaining("jump");
        assertThatThrownBy(() -> READER.readValue("{\"i\":\"wake\",\"at\":1,\"extra\":2}"))
                .hasMessageContaining("extra");
        assertThatThrownBy(() -> READER.readValue("{\"i\":\"timedOut\",\"at\":1,\"token\":3}"))
                .hasMessageContaining("branch");
    }

    @Test
    void aStepOutcomeOrACheckpointRequestIsNeverJournaledAsAPlainSignal() {
        assertThatThrownBy(() -> InputPart.all(List.of(new Accepted.Took(
                        AT, new Signal.Checkpoint("c", new java.util.concurrent.CompletableFuture<>())))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint");
    }
}
