package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.state.JournalEvent;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.UnreadableStateException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading a session back from storage: its latest snapshot plus every journal event after it, replayed in order
 * (recovery), and the options a snapshot keeps for the facade. Corrupt input is a {@link StateException} naming the
 * session, never a raw JDK exception (D21).
 */
final class StoredSessions {

    private static final Logger LOG = LoggerFactory.getLogger(StoredSessions.class);

    private StoredSessions() {}

    /** A session's state as storage holds it, and the last journal sequence replayed into it. */
    record Loaded(SessionState state, long lastSequence) {}

    static Loaded load(SessionSpec spec, SessionSnapshot snapshot) {
        if (!snapshot.topologyDigest().equals(spec.topology().digest())) {
            throw new SessionException("session '" + snapshot.sessionId()
                    + "' was saved with topology digest " + snapshot.topologyDigest()
                    + " but this instance runs topology digest "
                    + spec.topology().digest());
        }
        long last = snapshot.journalSequence();
        try {
            SessionState state = SnapshotCodec.decode(snapshot.sessionId(), snapshot.payload());
            if (spec.stateManager().isPresent()) {
                StateManager manager = spec.stateManager().get();
                List<JournalReplay.Entry> inputs = new ArrayList<>();
                int steps = 0;
                boolean redacted = false;
                long head = manager.lastEventSequence(snapshot.sessionId()); // before the entries: they reach it
                List<JournalEvent> events = manager.readEvents(snapshot.sessionId(), snapshot.journalSequence());
                checkComplete(manager, snapshot, head, events);
                for (JournalEvent event : events) {
                    JournalRecord record = JournalCodec.read(snapshot.sessionId(), event.sequence(), event.data());
                    if (record instanceof JournalRecord.Step step) {
                        JournalCodec.apply(snapshot.sessionId(), state, step);
                        steps++;
                        redacted |= event.redacted();
                        if (step.inputs() != null) {
                            inputs.add(new JournalReplay.Entry(
                                    event.sequence(),
                                    step.inputs(),
                                    step.counters().elapsedNanosBefore()));
                        }
                    }
                    last = event.sequence();
                }
                if (!inputs.isEmpty()) {
                    state = replayed(spec, snapshot, state, new Journaled(inputs, steps, redacted));
                }
                if (last == snapshot.journalSequence()) {
                    // a restore stamps its snapshot one past the journal, then appends the marker that moves the
                    // journal there; when that append failed, the journal's own last sequence is the fence
                    last = Math.min(last, manager.lastEventSequence(snapshot.sessionId()));
                }
            }
            return new Loaded(state, last);
        } catch (StateException e) {
            throw e;
        } catch (RuntimeException e) { // a bad date, a wrong type, a missing value
            throw new UnreadableStateException(
                    "stored state of session '" + snapshot.sessionId() + "' is corrupt: " + Stepping.describe(e), e);
        }
    }

    /**
     * Fails when the journal read after {@code snapshot} lacks entries (a gap, a missing end: {@code head}, its last
     * sequence, is read first), reads a last sequence behind its entries, or reaches less far than the snapshot covers
     * (a restore stamps its snapshot one past the journal: one is allowed). Recovering from the rest could run
     * committed steps again. When the snapshot changed meanwhile it is another process's write, not a loss.
     */
    private static void checkComplete(
            StateManager manager, SessionSnapshot snapshot, long head, List<JournalEvent> events) {
        long expected = snapshot.journalSequence() + 1;
        long through = events.isEmpty() ? 0 : events.getLast().sequence();
        String missing = head < through
                ? "its last sequence: it reads " + head + " but entries go on to " + through
                : head + 1 < snapshot.journalSequence()
                        ? "entries " + (head + 1) + " to " + snapshot.journalSequence() + ", which its snapshot covers"
                        : null;
        for (JournalEvent event : events) {
            if (missing == null && event.sequence() != expected) {
                missing = "entries " + expected + " to " + (event.sequence() - 1) + " (it goes on at "
                        + event.sequence() + ")";
            }
            expected = event.sequence() + 1;
        }
        if (missing == null && expected <= head) {
            missing = "entries " + expected + " to " + head + " (its last sequence is " + head + ")";
        }
        if (missing == null) {
            return;
        }
        String id = snapshot.sessionId();
        if (manager.loadSession(id).map(SessionSnapshot::version).orElse(-1L) != snapshot.version()) {
            throw new SessionException("session '" + id + "' was written by another process while this one read it;"
                    + " it is being continued there");
        }
        throw new UnreadableStateException("the journal of session '" + id + "' is missing " + missing
                + ": storage lost part of it (deleted, evicted or truncated outside Orchestra4j); recovering from the"
                + " rest could run committed steps again");
    }

    /**
     * The steps journaled after a snapshot: the inputs of those that carry them, how many there are, and whether the
     * redactor changed any of them ({@link JournalEvent#redacted()}).
     */
    private record Journaled(List<JournalReplay.Entry> inputs, int steps, boolean redacted) {}

    /**
     * Recovery proper: the snapshot's state, the journal's inputs replayed through the machine ({@link
     * JournalReplay}). It must come to exactly what the entries committed ({@code committed}, their changes applied);
     * a difference names the first place it shows. Journals written before inputs were journaled have none and
     * recover from their changes alone; a journal with inputs in some entries only cannot be replayed.
     *
     * <p>Entries the storage's redactor changed are the exception: their inputs or their changes are not what the run
     * saw (a redactor may hide a value in one place and keep it in another), so their replay can neither confirm nor
     * refute them. When it does not come to the committed state, or cannot take the inputs, the session recovers from
     * the changes it committed, redacted values as stored, like a journal without inputs, and a WARN names the
     * entries and the first differing place (its path only: the values may be what the redactor hides) or why the
     * replay stopped. Entries it left alone are held to the replay as strictly as without a redactor.
     */
    private static SessionState replayed(
            SessionSpec spec, SessionSnapshot snapshot, SessionState committed, Journaled journaled) {
        String id = snapshot.sessionId();
        List<JournalReplay.Entry> inputs = journaled.inputs();
        if (inputs.size() != journaled.steps()) {
            throw new UnreadableStateException("the journal of session '" + id + "' after sequence "
                    + snapshot.journalSequence() + " has inputs in " + inputs.size() + " of its " + journaled.steps()
                    + " entries: it cannot be replayed");
        }
        String entries = "entries " + inputs.getFirst().sequence() + " to "
                + inputs.getLast().sequence();
        String difference;
        try {
            SessionState replayed = JournalReplay.replay(
                    spec, snapshot.payload(), SnapshotCodec.decode(id, snapshot.payload()), inputs);
            JsonNode want = SnapshotCodec.encode(id, committed, spec.task());
            JsonNode got = SnapshotCodec.encode(id, replayed, spec.task());
            difference = journaled.redacted() ? JsonDifference.place(want, got) : JsonDifference.first(want, got);
        } catch (UnreadableStateException e) {
            if (!journaled.redacted()) {
                throw e;
            }
            difference = "its replay stopped: " + e.getMessage();
        }
        if (difference != null) {
            if (!journaled.redacted()) {
                throw new UnreadableStateException("the journal of session '" + id + "' (" + entries
                        + ") does not replay to the state it committed: " + difference
                        + "; the session was journaled by a different topology, options or engine version");
            }
            LOG.warn(
                    "The journal of session '{}' ({}) holds values the redactor changed and does not replay to the"
                            + " state it committed ({}); recovering from the changes it committed, redacted values"
                            + " as stored",
                    id,
                    entries,
                    difference);
            return committed;
        }
        if (spec.simulation() != null) {
            spec.simulation()
                    .replayed(
                            id, inputs.stream().mapToInt(e -> e.inputs().size()).sum());
        }
        // equal to the replayed state, field for field (checked above), and already in the form a stored state reads
        // in (steps in flight are not running): decoding the replayed encoding again would only rebuild it
        return committed;
    }

    /** The envelope of {@code session}'s state with {@code status}; the journal sequence is stamped by the writer. */
    static SessionSnapshot envelope(Session session, String status, JsonNode payload) {
        SessionSpec spec = session.spec();
        return new SessionSnapshot(
                SessionSnapshot.CURRENT_SCHEMA_VERSION,
                spec.sessionId(),
                session.storedVersion,
                status,
                session.state().startedAt,
                spec.clock().instant(),
                spec.topology().toJson(),
                spec.topology().digest(),
                payload);
    }

    /** The {@code maxSteps} a stored session was started with (D15), if its snapshot says. */
    static OptionalInt maxSteps(SessionSnapshot snapshot) {
        JsonNode n = snapshot.payload().path("maxSteps");
        return n.isInt() && n.asInt() > 0 ? OptionalInt.of(n.asInt()) : OptionalInt.empty();
    }

    /** The task a stored session was started with. */
    static Object task(SessionSnapshot snapshot) {
        Object task = SnapshotValues.decode(snapshot.payload().path("task"));
        if (task == null) {
            throw new UnreadableStateException(
                    "snapshot of session '" + snapshot.sessionId() + "' is missing field 'task'");
        }
        return task;
    }

    /** Stores {@code session}, never run, as {@code CREATED}: any process may then start it with a resume. */
    static void persistCreated(Session session, Persistence persistence) {
        String id = session.id();
        if (session.spec().stateManager().isEmpty()) {
            throw new SessionException("createSession needs a StateManager; configure one with"
                    + " OrchestraInstance.builder().stateManager(...)");
        }
        if (session.storedVersion != 0) {
            throw new SessionException("session '" + id + "' already exists in storage (stored "
                    + session.storedStatus().orElse("?") + "); choose another session_id");
        }
        try {
            persistence.writeSuspended(Persistence.CREATED);
        } catch (dev.orchestra4j.state.ConcurrentSessionModificationException e) {
            throw new SessionException("session '" + id + "' already exists in storage; choose another session_id", e);
        }
    }

    /**
     * Throws unless a session may be continued: it is PAUSED, WAITING_FOR_USER or CREATED (stored, never run), or
     * RUNNING in storage when {@code mayTakeOver} (recovering, or restored from a checkpoint taken while running).
     */
    static void checkResumable(String id, @Nullable LastLeg last, @Nullable String storedStatus, boolean mayTakeOver) {
        String status = last != null ? last.status().name() : storedStatus != null ? storedStatus : Persistence.RUNNING;
        if (status.equals(Persistence.RUNNING) && last == null && storedStatus != null) {
            if (!mayTakeOver) {
                throw new SessionException(
                        "session '" + id + "' is marked RUNNING in storage: another"
                                + " process is running it, or died while running it (then call recoverSession to take it over)");
            }
            return;
        }
        if (!status.equals(RunStatus.PAUSED.name())
                && !status.equals(RunStatus.WAITING_FOR_USER.name())
                && !status.equals(Persistence.CREATED)) {
            throw new SessionException("session '" + id + "' ended " + status + " and cannot be resumed");
        }
    }

    /**
     * A checkpoint at rest copies the stored snapshot. A session a crash or a storage failure left RUNNING also has
     * steps journaled after that snapshot, which the copy would silently lack: refused until it is recovered.
     */
    static void checkNoStepsAfterSnapshot(StateManager manager, String sessionId) {
        long snapshot = manager.loadSession(sessionId)
                .map(dev.orchestra4j.state.SessionSnapshot::journalSequence)
                .orElse(Long.MAX_VALUE);
        if (manager.lastEventSequence(sessionId) > snapshot) {
            throw new SessionException(
                    "cannot checkpoint session '" + sessionId + "' now: it has steps"
                            + " journaled after its last snapshot (a crash or a storage failure left it RUNNING), which a"
                            + " checkpoint would not contain; recover it first (recoverSession), or checkpoint it while it runs");
        }
    }
}
