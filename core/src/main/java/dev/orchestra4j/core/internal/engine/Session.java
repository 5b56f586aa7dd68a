package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.state.SessionSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One session's engine-side handle: its spec, its state between legs, and the coordinator of the leg in progress.
 * The facade ({@code Orchestra}, {@code OrchestraInstance}) drives sessions only through this class.
 */
public final class Session {

    private final SessionSpec spec;
    private final Plan plan;
    private final SessionState state;
    private final Persistence persistence;
    /** The storage version this process last wrote or read; 0 before the first save. */
    volatile long storedVersion;
    /** The status last written to storage (or read from it), for sessions not run in this process yet. */
    private volatile @Nullable String storedStatus;

    private final Legs legs;
    /** Restored by the user from a checkpoint: resumable even if that checkpoint was taken while running. */
    private volatile boolean restoredFromCheckpoint;
    /** Read at rest with a claim journaled after it: another process took it on ({@link Ownership#claimedSince}). */
    private volatile @Nullable String claimedElsewhere;

    private Session(SessionSpec spec, SessionState state) {
        this.spec = spec;
        this.plan = PlanCache.of(spec.topology(), spec.registry(), spec.execution());
        this.state = state;
        this.persistence = new Persistence(this, spec.stateManager());
        this.legs = new Legs(this, spec, plan, state, persistence);
    }

    /**
     * A session read back from storage (in this or another JVM). Its topology must be the one the session was saved
     * with; its agents come from {@code spec}'s registry.
     */
    public static Session restore(SessionSpec spec, SessionSnapshot snapshot) {
        StoredSessions.Loaded loaded = StoredSessions.load(spec, snapshot);
        Session session = new Session(spec, loaded.state());
        session.storedVersion = snapshot.version();
        session.storedStatus = snapshot.status();
        session.claimedElsewhere = Ownership.claimedSince(snapshot, loaded.lastSequence());
        session.persistence.restored(loaded.lastSequence(), snapshot.journalSequence());
        return session;
    }

    SessionState state() {
        return state;
    }

    /**
     * The engine payload of this session's snapshot: its state, its task and the options it keeps across JVMs; in the
     * middle of a leg, with where the {@code running} machine stands ({@link MachinePart#embed}).
     */
    ObjectNode encodeState(@Nullable Machine running) {
        ObjectNode payload =
                SnapshotCodec.encode(spec.sessionId(), state, spec.task()).put("maxSteps", spec.maxSteps());
        MachinePart.embed(payload, running);
        spec.masked(payload); // secrets' text never reaches storage (masks in place)
        return payload;
    }

    /** The {@code maxSteps} a stored session was started with (D15), if its snapshot says. */
    public static OptionalInt storedMaxSteps(SessionSnapshot snapshot) {
        return StoredSessions.maxSteps(snapshot);
    }

    /** The task a stored session was started with. */
    public static Object storedTask(SessionSnapshot snapshot) {
        return StoredSessions.task(snapshot);
    }

    /**
     * Takes ownership of a stored session before continuing it: writes it back as RUNNING at the version it was read
     * at. Of two processes resuming the same session, exactly one succeeds; the other gets a {@link SessionException}.
     */
    public void claim() {
        if (spec.stateManager().isEmpty()) {
            return;
        }
        boolean atRest = Ownership.atRest(legs.last(), storedStatus);
        storedVersion = Ownership.claim(spec, persistence, encodeState(null), atRest);
        storedStatus = Persistence.RUNNING;
    }

    /**
     * Takes a named checkpoint of the session's current state: a running leg saves at its next loop turn first; a
     * suspended session's stored state is used as it is.
     */
    public CompletableFuture<String> checkpoint(String name) {
        return legs.checkpoint(name);
    }

    /** The status this session was last saved with, when it has not run in this process. */
    public Optional<String> storedStatus() {
        return Optional.ofNullable(storedStatus);
    }

    /**
     * A new session; fails fast (before any agent runs) when an agent is missing. When the context names a
     * {@code session_id} that the StateManager holds as finished (COMPLETED, FAILED, TIMED_OUT or CANCELLED), the run
     * continues that session as a new leg, like a follow-up (see {@link SessionContinuation}); a stored session that
     * is still RUNNING, PAUSED or WAITING_FOR_USER is refused with a hint to resume it.
     */
    public static Session create(SessionSpec spec) {
        SessionState state = new SessionState(spec.clock().instant());
        Session session = new Session(spec, state);
        SessionContinuation.load(spec).ifPresent(stored -> {
            SessionContinuation.carry(SnapshotCodec.decode(stored.sessionId(), stored.payload()), state);
            session.storedVersion = stored.version();
            session.storedStatus = stored.status();
        });
        state.context.putAll(spec.context());
        return session;
    }

    public String id() {
        return spec.sessionId();
    }
    /** The check a leg makes before every step dispatch: false stops the leg as ownership lost, writing nothing. */
    public void leaseCheck(java.util.function.BooleanSupplier check) {
        persistence.faults.leaseCheck(check);
        externalLease = true;
    }

    /** An outside lease (a cluster's) says who owns this session: a recovery does not watch storage for silence. */
    private volatile boolean externalLease;

    /**
     * Retires this copy of a session that is not running here, so that it never starts a leg again (the caller then
     * forgets it and reads the session from storage next time). Returns false when a leg holds it.
     */
    public boolean retire() {
        return legs.retire();
    }

    /** Stores this new session without running it (status {@code CREATED}); fails when its id is already stored. */
    public void persistCreated() {
        StoredSessions.persistCreated(this, persistence);
        storedStatus = Persistence.CREATED;
    }

    public SessionSpec spec() {
        return spec;
    }

    /** Runs {@code action} (once, on the leg's thread) when a leg ends in a terminal status, before its result is out. */
    public void onFinished(Runnable action) {
        legs.onFinished(action);
    }

    /** Runs a new session on a new virtual thread; completes when this leg stops. */
    public CompletableFuture<OrchestraResult> start() {
        reserve();
        return legs.launch(List.of());
    }

    /**
     * Runs a new session on the calling thread, which would otherwise only wait for it ({@link CallerDrive}); an
     * interrupt of this thread cancels the session and is set again on return.
     */
    public CompletableFuture<OrchestraResult> runHere() {
        reserve();
        return legs.runHere();
    }

    /**
     * Continues a suspended session (or, when {@code recovering}, one a dead process left RUNNING in storage) in a new
     * leg. Of concurrent calls, on this or another instance, exactly one proceeds; the others get a {@link
     * SessionException} naming the session.
     */
    public CompletableFuture<OrchestraResult> resume(Map<String, Object> additionalContext, boolean recovering) {
        reserve();
        legs.starting(); // a pause meanwhile (the lease watch may take seconds) is kept for the leg
        Map<String, Object> contextBefore = new java.util.LinkedHashMap<>(state.context);
        try {
            checkResumable(recovering);
            if (recovering && !externalLease) {
                Ownership.awaitSilentOwner(this);
            }
            // before the claim, so that the snapshot it writes holds the added context (the journal does not carry
            // the context): a crash after the resume must not lose it
            state.context.putAll(additionalContext);
            claim();
        } catch (RuntimeException e) {
            state.context.clear();
            state.context.putAll(contextBefore);
            legs.claimFailed(e);
            throw e;
        }
        return legs.launch(List.of());
    }

    private void reserve() {
        legs.checkNotRetired();
        if (!legs.tryLease()) {
            throw new SessionException("session '" + spec.sessionId() + "' is running; pause it first");
        }
    }

    /**
     * Marks a session the user restored from a checkpoint: it may be resumed even when the checkpoint was taken while
     * the session was running (its stored status is then RUNNING; a step in flight then runs again).
     */
    public Session restoredFromCheckpoint() {
        restoredFromCheckpoint = true;
        return this;
    }

    /** Throws unless this session may be continued: PAUSED, WAITING_FOR_USER, CREATED, or RUNNING when recovering. */
    void checkResumable(boolean recovering) {
        Ownership.checkNotClaimed(id(), legs.last(), recovering ? null : claimedElsewhere);
        StoredSessions.checkResumable(id(), legs.last(), storedStatus, recovering || restoredFromCheckpoint);
    }

    /**
     * Answers a pending question: {@code interactionId} names it, or null for the oldest. A running leg takes the
     * answer at once; a suspended session is claimed and continued in a new leg. Either way the future is that leg's.
     */
    public CompletableFuture<OrchestraResult> respond(@Nullable String interactionId, String answer) {
        return legs.respond(interactionId, answer);
    }

    /**
     * Hands an answer to the leg running in this process, and never starts one: false when no leg runs here, the leg
     * is ending, or the question is not pending in it (another answer was taken first, say).
     */
    public boolean offerAnswer(String interactionId, String answer) {
        return legs.offerAnswer(interactionId, answer);
    }

    /** How the last finished leg ended, if one did. */
    public Optional<LastLeg> last() {
        return Optional.ofNullable(legs.last());
    }

    public java.time.Instant startedAt() {
        return state.startedAt;
    }

    /** Asks the running leg to pause at the next step boundary; false when nothing is running. */
    public boolean pause(String reason) {
        Coordinator c = legs.current();
        if (c != null) {
            c.post(new Signal.Pause(reason));
        }
        return c != null || legs.pauseWhenStarted(reason);
    }

    /** Cancels the running leg (agents interrupted, branches abandoned); false if none took it: {@link #cancelSuspended}. */
    public CompletableFuture<Boolean> cancel(String reason) {
        Coordinator c = legs.current();
        return c == null ? CompletableFuture.completedFuture(false) : c.cancelFromOutside(reason);
    }

    /**
     * Cancels this session if it is suspended (D16): with a StateManager, storage then says CANCELLED, so no later
     * resume, here or elsewhere, continues it. Returns false when a leg holds the session (cancel that one instead).
     */
    public boolean cancelSuspended() {
        legs.checkNotRetired();
        if (!legs.tryLease()) {
            return false;
        }
        try {
            if (spec.stateManager().isPresent() && storedVersion > 0 && isSuspended()) {
                persistence.writeSuspended(RunStatus.CANCELLED.name());
                storedStatus = RunStatus.CANCELLED.name();
            }
            return true;
        } finally {
            legs.release();
        }
    }

    private boolean isSuspended() {
        try {
            checkResumable(false);
            return true;
        } catch (SessionException e) {
            return false; // ended (or owned elsewhere): nothing to cancel here
        }
    }

    public boolean isRunning() {
        return legs.current() != null;
    }
}
