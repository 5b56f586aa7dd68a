package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.core.internal.event.EventBus;
import dev.orchestra4j.core.internal.status.StatusPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** How often a running leg proves it is alive in storage, and how long a recoverer waits to see that. */
    static final java.time.Duration HEARTBEAT = java.time.Duration.ofSeconds(1);

    static final java.time.Duration LEASE = HEARTBEAT.multipliedBy(3);

    /** Held by the one leg that may run (or is starting to run) this session in this process. */
    private final AtomicBoolean leased = new AtomicBoolean();

    private volatile @Nullable Coordinator current;
    private volatile @Nullable OrchestraResult last;
    private volatile @Nullable CompletableFuture<OrchestraResult> leg;
    private volatile Runnable onFinished = () -> {};

    private Session(SessionSpec spec, SessionState state) {
        this.spec = spec;
        this.plan = new Plan(spec.topology(), spec.registry(), spec.execution());
        this.state = state;
        this.persistence = new Persistence(this, spec.stateManager());
    }

    /** Restored by the user from a checkpoint: resumable even if that checkpoint was taken while running. */
    private volatile boolean restoredFromCheckpoint;

    /**
     * A session read back from storage (in this or another JVM). Its topology must be the one the session was saved
     * with; its agents come from {@code spec}'s registry.
     */
    public static Session restore(SessionSpec spec, dev.orchestra4j.state.SessionSnapshot snapshot) {
        if (!snapshot.topologyDigest().equals(spec.topology().digest())) {
            throw new dev.orchestra4j.core.SessionException("session '" + snapshot.sessionId()
                    + "' was saved with topology digest " + snapshot.topologyDigest()
                    + " but this instance runs topology digest "
                    + spec.topology().digest());
        }
        SessionState state;
        long last = snapshot.journalSequence();
        try {
            state = SnapshotCodec.decode(snapshot.sessionId(), snapshot.payload());
            if (spec.stateManager().isPresent()) {
                // recovery = the snapshot plus every journal event after it, replayed in order
                for (dev.orchestra4j.state.JournalEvent event :
                        spec.stateManager().get().readEvents(snapshot.sessionId(), snapshot.journalSequence())) {
                    JournalDelta.apply(snapshot.sessionId(), state, event.sequence(), event.data());
                    last = event.sequence();
                }
            }
        } catch (dev.orchestra4j.state.StateException e) {
            throw e;
        } catch (RuntimeException e) { // a bad date, a wrong type, a missing value: never a raw JDK exception (D21)
            throw new dev.orchestra4j.state.StateException(
                    "stored state of session '" + snapshot.sessionId() + "' is corrupt: " + StepRunner.describe(e), e);
        }
        Session session = new Session(spec, state);
        session.storedVersion = snapshot.version();
        session.storedStatus = snapshot.status();
        session.persistence.restored(last, snapshot.journalSequence());
        return session;
    }

    SessionState state() {
        return state;
    }

    /** The engine payload of this session's snapshot: its state, its task and the options it keeps across JVMs. */
    com.fasterxml.jackson.databind.node.ObjectNode encodeState() {
        com.fasterxml.jackson.databind.node.ObjectNode payload =
                SnapshotCodec.encode(spec.sessionId(), state, spec.task()).put("maxSteps", spec.maxSteps());
        spec.masked(payload); // secrets' text never reaches storage (masks in place)
        return payload;
    }

    /** The {@code maxSteps} a stored session was started with (D15), if its snapshot says. */
    public static java.util.OptionalInt storedMaxSteps(dev.orchestra4j.state.SessionSnapshot snapshot) {
        com.fasterxml.jackson.databind.JsonNode n = snapshot.payload().path("maxSteps");
        return n.isInt() && n.asInt() > 0 ? java.util.OptionalInt.of(n.asInt()) : java.util.OptionalInt.empty();
    }

    /** The task a stored session was started with. */
    public static Object storedTask(dev.orchestra4j.state.SessionSnapshot snapshot) {
        Object task = SnapshotValues.decode(snapshot.payload().path("task"));
        if (task == null) {
            throw new dev.orchestra4j.state.StateException(
                    "snapshot of session '" + snapshot.sessionId() + "' is missing field 'task'");
        }
        return task;
    }

    /**
     * Takes ownership of a stored session before continuing it: writes it back as RUNNING at the version it was read
     * at. Of two processes resuming the same session, exactly one succeeds; the other gets a {@link
     * dev.orchestra4j.core.SessionException}.
     */
    public void claim() {
        if (spec.stateManager().isEmpty()) {
            return;
        }
        dev.orchestra4j.state.StateManager manager = spec.stateManager().get();
        com.fasterxml.jackson.databind.JsonNode payload = encodeState();
        try {
            // fence first: a stale owner's next append (at the sequence it knows) is now rejected
            long fenced = manager.appendEvents(
                    spec.sessionId(),
                    persistence.sequence(),
                    List.of(SnapshotValues.MAPPER.createObjectNode().put(JournalDelta.KIND, JournalDelta.CLAIM)));
            storedVersion = manager.saveSnapshot(persistence.snapshot(Persistence.RUNNING, payload), fenced)
                    .version();
            storedStatus = Persistence.RUNNING;
            persistence.claimed(payload, fenced);
        } catch (dev.orchestra4j.state.ConcurrentSessionModificationException e) {
            throw new dev.orchestra4j.core.SessionException(
                    "session '" + spec.sessionId()
                            + "' is being continued by another process (its stored version moved on): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Takes a named checkpoint of the session's current state: a running leg saves at its next loop turn first; a
     * suspended session's stored state is used as it is.
     */
    public CompletableFuture<String> checkpoint(String name) {
        dev.orchestra4j.state.StateManager manager = spec.stateManager()
                .orElseThrow(() -> new dev.orchestra4j.core.SessionException(
                        "checkpoints need a StateManager; none is configured for session '" + spec.sessionId() + "'"));
        Coordinator c = current;
        CompletableFuture<String> id = new CompletableFuture<>();
        if (c != null && c.offer(new Signal.Checkpoint(name, id))) {
            return id;
        }
        String stored = manager.createCheckpoint(spec.sessionId(), name);
        state.checkpointIds.add(stored);
        return CompletableFuture.completedFuture(stored);
    }

    /** The status this session was last saved with, when it has not run in this process. */
    public java.util.Optional<String> storedStatus() {
        return java.util.Optional.ofNullable(storedStatus);
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

    public SessionSpec spec() {
        return spec;
    }

    /** Runs {@code action} (once, on the leg's thread) when a leg ends in a terminal status, before its result is out. */
    public void onFinished(Runnable action) {
        onFinished = action;
    }

    /** Runs a new session on a new virtual thread; completes when this leg stops. */
    public CompletableFuture<OrchestraResult> start() {
        reserve();
        return launch(List.of());
    }

    /**
     * Continues a suspended session (or, when {@code recovering}, one a dead process left RUNNING in storage) in a new
     * leg. Of concurrent calls, on this or another instance, exactly one proceeds; the others get a {@link
     * SessionException} naming the session.
     */
    public CompletableFuture<OrchestraResult> resume(Map<String, Object> additionalContext, boolean recovering) {
        reserve();
        Map<String, Object> contextBefore = new java.util.LinkedHashMap<>(state.context);
        try {
            checkResumable(recovering);
            if (recovering) {
                Ownership.awaitSilentOwner(this);
            }
            // before the claim, so that the snapshot it writes holds the added context (the journal does not carry
            // the context): a crash after the resume must not lose it
            state.context.putAll(additionalContext);
            claim();
        } catch (RuntimeException e) {
            state.context.clear();
            state.context.putAll(contextBefore);
            leased.set(false);
            throw e;
        }
        return launch(List.of());
    }

    private void reserve() {
        if (!leased.compareAndSet(false, true)) {
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

    /** Throws unless this session may be continued: it is PAUSED or WAITING_FOR_USER (or RUNNING when recovering). */
    void checkResumable(boolean recovering) {
        String status = Optional.ofNullable(last)
                .map(r -> r.status().name())
                .or(this::storedStatus)
                .orElse(Persistence.RUNNING);
        if (status.equals(Persistence.RUNNING) && last == null && storedStatus != null) {
            if (!recovering && !restoredFromCheckpoint) {
                throw new SessionException(
                        "session '" + spec.sessionId() + "' is marked RUNNING in storage: another"
                                + " process is running it, or died while running it (then call recoverSession to take it over)");
            }
            return;
        }
        if (!status.equals(RunStatus.PAUSED.name()) && !status.equals(RunStatus.WAITING_FOR_USER.name())) {
            throw new SessionException("session '" + spec.sessionId() + "' ended " + status + " and cannot be resumed");
        }
    }

    private CompletableFuture<OrchestraResult> launch(List<Signal> initial) {
        CompletableFuture<OrchestraResult> result = new CompletableFuture<>();
        result.whenComplete((r, e) -> {
            if (e instanceof java.util.concurrent.CancellationException) {
                cancel("the run's future was cancelled"); // D14: cancelling or interrupting the caller stops it
            }
        });
        Coordinator coordinator = coordinator();
        initial.forEach(coordinator::post);
        leg = result;
        current = coordinator;
        Thread.ofVirtual()
                .name("orchestra4j-" + spec.sessionId())
                .start(() -> coordinator.run((r, failure) -> legEnded(coordinator, result, r, failure)));
        return result;
    }

    /**
     * Answers a pending question: {@code interactionId} names it, or null for the oldest. A running leg takes the
     * answer at once; a suspended session is claimed and continued in a new leg. Either way the future is that leg's.
     */
    public CompletableFuture<OrchestraResult> respond(@Nullable String interactionId, String answer) {
        while (true) {
            Coordinator c = current;
            CompletableFuture<OrchestraResult> running = leg;
            if (c != null && running != null) {
                if (c.offer(new Signal.UserAnswer(questionId(interactionId), answer, null))) {
                    return running.copy(); // this caller giving up must not cancel the leg's own caller
                }
                continue; // that leg was ending: this answer goes to the next one
            }
            if (leased.compareAndSet(false, true)) {
                Signal signal;
                try {
                    checkResumable(false);
                    signal = new Signal.UserAnswer(questionId(interactionId), answer, null);
                    claim();
                } catch (RuntimeException e) {
                    leased.set(false);
                    throw e;
                }
                return launch(List.of(signal));
            }
            Thread.onSpinWait(); // another leg is starting or ending: answer that one, or start the next
            Thread.yield();
        }
    }

    private String questionId(@Nullable String interactionId) {
        synchronized (state.questions) { // the coordinator may be changing it right now
            return knownQuestionId(interactionId);
        }
    }

    private String knownQuestionId(@Nullable String interactionId) {
        if (interactionId == null) {
            return state.questions.keySet().stream()
                    .findFirst()
                    .orElseThrow(() -> new SessionException(
                            "session '" + spec.sessionId() + "' has no pending question to answer"));
        }
        if (!state.questions.containsKey(interactionId)) {
            throw new SessionException(
                    "session '" + spec.sessionId() + "' has no pending question '" + interactionId + "'");
        }
        return interactionId;
    }

    /** The result of the last finished leg, if any. */
    public Optional<OrchestraResult> last() {
        return Optional.ofNullable(last);
    }

    public java.time.Instant startedAt() {
        return state.startedAt;
    }

    private Coordinator coordinator() {
        List<OrchestraListener> awaited = statusListeners();
        if (spec.awaitListeners()) {
            awaited.addAll(spec.listeners());
        }
        EventBus bus = EventBus.of(spec.awaitListeners() ? List.of() : spec.listeners(), awaited);
        Telemetry telemetry = new Telemetry(spec.sessionId(), state, bus, spec.clock());
        FollowUps followUps = new FollowUps(
                spec.allowFollowUps(),
                spec.followUpTimeout(),
                spec.communication().channel());
        return new Coordinator(spec, plan, state, telemetry, new Lifecycle(followUps), persistence);
    }

    private void legEnded(
            Coordinator coordinator,
            CompletableFuture<OrchestraResult> result,
            @Nullable OrchestraResult r,
            @Nullable Throwable failure) {
        List<Signal.UserAnswer> leftover;
        try {
            leftover = coordinator.close();
        } finally {
            current = null;
            coordinator.telemetry.close();
        }
        last = r;
        if (r != null
                && r.status() == RunStatus.WAITING_FOR_USER
                && !leftover.isEmpty()
                && continued(leftover, result)) {
            return;
        }
        if (r == null || isTerminal(r.status())) {
            onFinished.run();
        }
        leased.set(false);
        if (r != null) {
            result.complete(r);
        } else {
            result.completeExceptionally(failure);
        }
    }

    /**
     * Answers that arrived while the leg was suspending: the session goes on at once in a next leg (still holding the
     * lease), and this leg's callers get that leg's result.
     */
    private boolean continued(List<Signal.UserAnswer> answers, CompletableFuture<OrchestraResult> result) {
        try {
            claim();
        } catch (RuntimeException e) {
            return false;
        }
        launch(List.copyOf(answers)).whenComplete((next, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(next);
            }
        });
        return true;
    }

    private static boolean isTerminal(RunStatus status) {
        return status != RunStatus.PAUSED && status != RunStatus.WAITING_FOR_USER;
    }

    private List<OrchestraListener> statusListeners() {
        List<OrchestraListener> printers = new ArrayList<>(1);
        if (spec.execution().status().isEnabled()) {
            printers.add(new StatusPrinter(spec.execution().status()));
        }
        return printers;
    }

    /** Asks the running leg to pause at the next step boundary; false when nothing is running. */
    public boolean pause(String reason) {
        Coordinator c = current;
        if (c == null) {
            return false;
        }
        c.post(new Signal.Pause(reason));
        return true;
    }

    /** Cancels the running leg: running agents are interrupted, every branch is abandoned. */
    public boolean cancel(String reason) {
        Coordinator c = current;
        if (c == null) {
            return false;
        }
        c.cancelFromOutside(reason);
        return true;
    }

    /**
     * Cancels this session if it is suspended (D16): with a StateManager, storage then says CANCELLED, so no later
     * resume, here or elsewhere, continues it. Returns false when a leg holds the session (cancel that one instead).
     */
    public boolean cancelSuspended() {
        if (!leased.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (spec.stateManager().isPresent() && storedVersion > 0 && isSuspended()) {
                persistence.writeSuspended(RunStatus.CANCELLED.name());
                storedStatus = RunStatus.CANCELLED.name();
            }
            return true;
        } finally {
            leased.set(false);
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
        return current != null;
    }

    /** Test hook: the barriers of this session still open, described (none should be once a run has ended). */
    List<String> openBarriers() {
        return state.barriers.values().stream()
                .filter(Barrier::isOpen)
                .map(Barrier::describe)
                .toList();
    }
}
