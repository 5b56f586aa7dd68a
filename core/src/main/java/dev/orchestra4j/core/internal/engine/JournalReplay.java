package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.orchestra4j.core.internal.event.EventBus;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.UnreadableStateException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Recovery's replay (issue #11): a fresh {@link Machine} over the snapshot's state, started where the snapshot says the
 * running machine stood ({@link MachinePart}; a snapshot written between legs has none, and its journal then begins
 * with the next leg's {@code Begin}), takes every input the journal entries after it carry ({@link InputPart}), in
 * order, each at the instant it was first taken. Nothing it decides reaches the outside: events, questions and
 * interrupts are dropped, and the user channel is not called. The shell's own measures (the run's elapsed time)
 * come from the entries. What the machine then holds must equal what the entries committed.
 */
final class JournalReplay {

    private final String sessionId;
    private final Machine machine;
    private final ReplayClock clock;
    private int inputs;

    private JournalReplay(SessionSpec spec, SessionState state) {
        this.sessionId = spec.sessionId();
        this.clock = new ReplayClock(spec.clock().getZone());
        Telemetry telemetry = new Telemetry(sessionId, state, EventBus.of(List.of(), List.of()), clock);
        telemetry.time.eager();
        FollowUps followUps = new FollowUps(
                spec.allowFollowUps(),
                spec.followUpTimeout(),
                spec.communication().channel().map(live -> SILENT));
        Plan plan = PlanCache.of(spec.topology(), spec.registry(), spec.execution());
        this.machine = new Machine(spec, plan, state, telemetry, new Lifecycle(followUps), signal -> {});
    }

    /**
     * Replays {@code entries} (each a journal step's inputs, in order) over {@code state}, decoded from {@code payload}.
     *
     * @throws StateException naming the session and the input when the machine cannot take it as journaled
     */
    static SessionState replay(SessionSpec spec, JsonNode payload, SessionState state, List<Entry> entries) {
        JournalReplay replay = new JournalReplay(spec, state);
        JsonNode place = payload.get(MachinePart.FIELD);
        boolean begun = place != null && !place.isNull(); // written mid-leg: the replay starts where the machine stood
        try {
            if (begun) {
                SnapshotValues.MAPPER.treeToValue(place, MachinePart.class).restore(replay.machine);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new UnreadableStateException(
                    "snapshot of session '" + spec.sessionId() + "' holds an unreadable machine part: "
                            + e.getMessage(),
                    e);
        }
        for (Entry entry : entries) {
            for (InputPart input : entry.inputs()) {
                if (!begun && !(input instanceof InputPart.Begin)) {
                    throw replay.diverged(entry, input, "the snapshot was written between legs, so a leg must begin");
                }
                begun = true;
                replay.take(entry, input);
            }
            state.elapsedNanosBefore = entry.elapsedNanosBefore(); // the shell's measure, not a decision
        }
        return state;
    }

    /** One journal entry's inputs, where it is, and the run time the shell had accounted when it was written. */
    record Entry(long sequence, List<InputPart> inputs, long elapsedNanosBefore) {}

    private void take(Entry entry, InputPart input) {
        inputs++;
        Machine m = machine;
        try {
            switch (input) {
                case InputPart.Begin b -> {
                    at(b.at());
                    m.begin();
                }
                case InputPart.Ended e -> {
                    at(e.at());
                    Branch b = m.state.branches.get(e.outcome().branch());
                    if (b == null || !b.isRunning(e.outcome().token())) {
                        throw diverged(entry, input, "its branch is not running that step here");
                    }
                    List<ChatMessage> before = b.memory.getOrDefault(b.node, List.of());
                    m.ended(e.outcome().toOutcome(before));
                }
                case InputPart.TimedOut t -> apply(t.at(), new Signal.StepTimedOut(t.branch(), t.token()));
                case InputPart.Wake w -> apply(w.at(), new Signal.Wake());
                case InputPart.Answer a ->
                    apply(
                            a.at(),
                            new Signal.UserAnswer(
                                    a.interaction(),
                                    a.answer(),
                                    a.error() == null ? null : new RecordedFailure(a.error())));
                case InputPart.Pause p -> apply(p.at(), new Signal.Pause(p.reason()));
                case InputPart.Cancel c -> apply(c.at(), new Signal.Cancel(c.reason()));
                case InputPart.Settle s -> {
                    at(s.at());
                    m.settle();
                }
                case InputPart.Admit a -> m.admit();
                case InputPart.Start s -> start(entry, s);
                case InputPart.Checkpoint c -> m.state.checkpointIds.add(c.id());
            }
        } catch (StateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw diverged(entry, input, Stepping.describe(e));
        } finally {
            m.telemetry.effects.discard(); // nothing decided in a replay is seen, asked or performed
            m.telemetry.effects.interruptNow(NO_STEPS);
        }
    }

    private void start(Entry entry, InputPart.Start s) {
        Branch b = machine.next();
        if (s.branch() == null && b == null) {
            return; // none was runnable; the stale entries are dropped here too
        }
        if (b == null || !b.id.equals(s.branch())) {
            throw diverged(entry, s, "the machine's next runnable branch here is " + (b == null ? "none" : b.id));
        }
        boolean allowed = machine.mayStart(b);
        if (allowed != s.allowed()) {
            throw diverged(entry, s, "maxSteps " + (allowed ? "allows" : "refuses") + " it here");
        }
        if (allowed) {
            machine.stepping.start(b);
        }
    }

    private void apply(long at, Signal signal) {
        at(at);
        machine.apply(signal);
    }

    private void at(long at) {
        clock.at = InputPart.instant(at);
    }

    private StateException diverged(Entry entry, InputPart input, String why) {
        return new UnreadableStateException("journal entry " + entry.sequence() + " of session '" + sessionId
                + "' does not replay: input " + inputs + " (" + input.getClass().getSimpleName() + ") " + why
                + "; the session was journaled by a different topology, options or engine version");
    }

    /** The time a replay's events happened at: set from each input. */
    private static final class ReplayClock extends Clock {
        private final ZoneId zone;
        private Instant at = Instant.EPOCH;

        ReplayClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            throw new UnsupportedOperationException("a replay's clock has one zone");
        }

        @Override
        public Instant instant() {
            return at;
        }
    }

    /** Stands in for the user's channel: the machine knows there is one, and nothing reaches it. */
    private static final UserChannel SILENT = new UserChannel() {
        @Override
        public java.util.concurrent.CompletionStage<String> ask(dev.orchestra4j.core.user.UserQuestion question) {
            return new CompletableFuture<>();
        }

        @Override
        public void cancel(String interactionId) {}
    };

    private static final Effects.Interrupter NO_STEPS = new Effects.Interrupter() {
        @Override
        public void abandon(String branchId, long token, String node, boolean interrupt) {}

        @Override
        public void interruptAll() {}
    };
}
