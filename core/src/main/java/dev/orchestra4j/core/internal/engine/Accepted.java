package dev.orchestra4j.core.internal.engine;

import dev.langchain4j.data.message.ChatMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a journaled session's {@link Machine} accepted since its last commit, in order, each with the instant of its
 * event: the leg's beginning, each signal taken, each settling, each admission pass, each step start the shell asked for
 * (and whether {@code maxSteps} allowed it), each checkpoint taken. The journal entry of the commit carries them
 * ({@link InputPart}); recovery replays them through a fresh machine over the snapshot they follow ({@link
 * JournalReplay}), which must then hold exactly the state the entries committed. Off, and free, for a session without
 * storage; cleared when a full snapshot covers what was accepted.
 */
final class Accepted {

    /** One input of the machine. */
    sealed interface Input {}

    /** The leg began (fresh or resumed, as the state says). */
    record Begin(Instant at) implements Input {}

    /** A step's outcome was taken; {@code before} is its agent's memory before the step (the outcome's is after). */
    record Ended(Instant at, StepOutcome outcome, List<ChatMessage> before) implements Input {}

    /** A signal other than a step's outcome was taken. */
    record Took(Instant at, Signal signal) implements Input {}

    /** The deadlines due were fired and the barriers allowed to decide. */
    record Settled(Instant at) implements Input {}

    /** Held branches were admitted where there was room. */
    record Admitted() implements Input {}

    /**
     * The shell asked to start the next runnable branch's step; {@code allowed} is false when maxSteps stopped it. A
     * null {@code branch}: it asked, and the run queue had only stale entries (dropped by asking) and none runnable.
     */
    record Started(@Nullable String branch, boolean allowed) implements Input {}

    /** A checkpoint of the saved state was taken. */
    record Checkpointed(String id) implements Input {}

    private final List<Input> inputs = new ArrayList<>(4);
    private boolean on;

    /** Records from now on (the session is journaled). */
    void on() {
        on = true;
    }

    boolean isOn() {
        return on;
    }

    void add(Input input) {
        if (on) {
            inputs.add(input);
        }
    }

    /** What was accepted since the last take or clear. */
    List<Input> take() {
        List<Input> out = List.copyOf(inputs);
        inputs.clear();
        return out;
    }

    /** A full snapshot now covers what was accepted. */
    void clear() {
        inputs.clear();
    }
}
