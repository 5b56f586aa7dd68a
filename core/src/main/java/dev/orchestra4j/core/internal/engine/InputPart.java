package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One input the machine accepted ({@link Accepted}), as a journal entry carries it: Jackson writes and reads these
 * records inside {@link JournalRecord.Step#inputs}; the kind is the {@code "i"} property and {@code at} the instant of
 * the event (nanoseconds since the epoch). A step's outcome is data ({@link OutcomePart}); an answer's failure is the
 * text the machine saw ({@link Stepping#describe}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "i")
@JsonSubTypes({
    @JsonSubTypes.Type(value = InputPart.Begin.class, name = "begin"),
    @JsonSubTypes.Type(value = InputPart.Ended.class, name = "ended"),
    @JsonSubTypes.Type(value = InputPart.TimedOut.class, name = "timedOut"),
    @JsonSubTypes.Type(value = InputPart.Wake.class, name = "wake"),
    @JsonSubTypes.Type(value = InputPart.Answer.class, name = "answer"),
    @JsonSubTypes.Type(value = InputPart.Pause.class, name = "pause"),
    @JsonSubTypes.Type(value = InputPart.Cancel.class, name = "cancel"),
    @JsonSubTypes.Type(value = InputPart.Settle.class, name = "settle"),
    @JsonSubTypes.Type(value = InputPart.Admit.class, name = "admit"),
    @JsonSubTypes.Type(value = InputPart.Start.class, name = "start"),
    @JsonSubTypes.Type(value = InputPart.Checkpoint.class, name = "checkpoint")
})
sealed interface InputPart {

    record Begin(long at) implements InputPart {}

    record Ended(long at, OutcomePart outcome) implements InputPart {
        public Ended {
            required(outcome, "outcome");
        }
    }

    record TimedOut(long at, String branch, long token) implements InputPart {
        public TimedOut {
            required(branch, "branch");
        }
    }

    record Wake(long at) implements InputPart {}

    record Answer(
            long at,
            String interaction,
            @Nullable String answer,
            @Nullable String error) implements InputPart {
        public Answer {
            required(interaction, "interaction");
        }
    }

    record Pause(long at, String reason) implements InputPart {
        public Pause {
            required(reason, "reason");
        }
    }

    record Cancel(long at, String reason) implements InputPart {
        public Cancel {
            required(reason, "reason");
        }
    }

    record Settle(long at) implements InputPart {}

    record Admit() implements InputPart {}

    /** A step start the shell asked for; a null branch: none was runnable, and stale queue entries were dropped. */
    record Start(@Nullable String branch, boolean allowed) implements InputPart {}

    record Checkpoint(String id) implements InputPart {
        public Checkpoint {
            required(id, "id");
        }
    }

    /**
     * {@code input} as journal data.
     *
     * @throws IllegalArgumentException when a value in it (a step's response) cannot be written as JSON
     */
    static InputPart of(Accepted.Input input) {
        return switch (input) {
            case Accepted.Begin b -> new Begin(nanos(b.at()));
            case Accepted.Ended e -> new Ended(nanos(e.at()), OutcomePart.of(e.outcome(), e.before()));
            case Accepted.Took t -> of(nanos(t.at()), t.signal());
            case Accepted.Settled s -> new Settle(nanos(s.at()));
            case Accepted.Admitted a -> new Admit();
            case Accepted.Started s -> new Start(s.branch(), s.allowed());
            case Accepted.Checkpointed c -> new Checkpoint(c.id());
        };
    }

    /** Each of {@code inputs} as journal data. */
    static List<InputPart> all(List<Accepted.Input> inputs) {
        List<InputPart> out = new ArrayList<>(inputs.size());
        inputs.forEach(i -> out.add(of(i)));
        return out;
    }

    private static InputPart of(long at, Signal signal) {
        return switch (signal) {
            case Signal.StepTimedOut t -> new TimedOut(at, t.branchId(), t.token());
            case Signal.Wake w -> new Wake(at);
            case Signal.UserAnswer a ->
                new Answer(at, a.interactionId(), a.answer(), a.error() == null ? null : Stepping.describe(a.error()));
            case Signal.Pause p -> new Pause(at, p.reason());
            case Signal.Cancel c -> new Cancel(at, c.reason());
            case Signal.StepDone d -> throw new IllegalArgumentException("a step's outcome is journaled as Ended");
            case Signal.Checkpoint c -> throw new IllegalArgumentException("a checkpoint is journaled by its id");
        };
    }

    /** An event's instant as journaled: nanoseconds since the epoch (a long holds them until the year 2262). */
    static long nanos(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    }

    /** The instant of an event, as journaled. */
    static Instant instant(long at) {
        return Instant.ofEpochSecond(Math.floorDiv(at, 1_000_000_000L), Math.floorMod(at, 1_000_000_000L));
    }

    private static void required(@Nullable Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
    }
}
