package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.core.internal.event.EventBus;
import dev.orchestra4j.core.internal.status.StatusPrinter;
import java.util.ArrayList;
import java.util.List;
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

    private volatile @Nullable Coordinator current;
    private volatile @Nullable OrchestraResult last;
    private volatile @Nullable CompletableFuture<OrchestraResult> leg;

    private Session(SessionSpec spec, SessionState state) {
        this.spec = spec;
        this.plan = new Plan(spec.topology(), spec.registry(), spec.execution());
        this.state = state;
        this.persistence = new Persistence(this, spec.stateManager());
    }

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
        SessionState state = SnapshotCodec.decode(snapshot.sessionId(), snapshot.payload());
        Session session = new Session(spec, state);
        session.storedVersion = snapshot.version();
        session.storedStatus = snapshot.status();
        return session;
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

    String topologyJson() {
        return spec.topology().toJson();
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
        dev.orchestra4j.state.SessionSnapshot snapshot = new dev.orchestra4j.state.SessionSnapshot(
                dev.orchestra4j.state.SessionSnapshot.CURRENT_SCHEMA_VERSION,
                spec.sessionId(),
                storedVersion,
                Persistence.RUNNING,
                state.startedAt,
                spec.clock().instant(),
                spec.topology().toJson(),
                spec.topology().digest(),
                spec.masked(SnapshotCodec.encode(state, spec.task())));
        try {
            storedVersion = spec.stateManager().get().save(snapshot).version();
            storedStatus = Persistence.RUNNING;
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
        if (c != null) {
            CompletableFuture<String> id = new CompletableFuture<>();
            c.post(new Signal.Checkpoint(name, id));
            return id;
        }
        String id = manager.createCheckpoint(spec.sessionId(), name);
        state.checkpointIds.add(id);
        return CompletableFuture.completedFuture(id);
    }

    /** The status this session was last saved with, when it has not run in this process. */
    public java.util.Optional<String> storedStatus() {
        return java.util.Optional.ofNullable(storedStatus);
    }

    /** A new session; fails fast (before any agent runs) when an agent is missing. */
    public static Session create(SessionSpec spec) {
        SessionState state = new SessionState(spec.clock().instant());
        state.context.putAll(spec.context());
        return new Session(spec, state);
    }

    public String id() {
        return spec.sessionId();
    }

    public SessionSpec spec() {
        return spec;
    }

    /** Runs (or continues) the session on a new virtual thread; completes when this leg stops. */
    public CompletableFuture<OrchestraResult> start() {
        return start(List.of());
    }

    private CompletableFuture<OrchestraResult> start(List<Signal> initial) {
        CompletableFuture<OrchestraResult> result = new CompletableFuture<>();
        leg = result;
        Thread.ofVirtual().name("orchestra4j-" + spec.sessionId()).start(() -> {
            try {
                OrchestraResult r = runLeg(initial);
                last = r;
                result.complete(r);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Answers a pending question: {@code interactionId} names it, or null for the oldest. A suspended session
     * continues in a new leg; a running one takes the answer at once. Either way the leg's result is returned.
     */
    public java.util.Optional<CompletableFuture<OrchestraResult>> respond(
            @Nullable String interactionId, String answer) {
        String id = interactionId;
        if (id == null) {
            id = state.questions.keySet().stream()
                    .findFirst()
                    .orElseThrow(() -> new dev.orchestra4j.core.SessionException(
                            "session '" + spec.sessionId() + "' has no pending question to answer"));
        } else if (!state.questions.containsKey(id)) {
            throw new dev.orchestra4j.core.SessionException(
                    "session '" + spec.sessionId() + "' has no pending question '" + id + "'");
        }
        Signal answerSignal = new Signal.UserAnswer(id, answer, null);
        Coordinator c = current;
        if (c != null) {
            c.post(answerSignal);
            return java.util.Optional.ofNullable(leg);
        }
        return java.util.Optional.of(start(List.of(answerSignal)));
    }

    /** The result of the last finished leg, if any. */
    public java.util.Optional<OrchestraResult> last() {
        return java.util.Optional.ofNullable(last);
    }

    public java.time.Instant startedAt() {
        return state.startedAt;
    }

    private OrchestraResult runLeg(List<Signal> initial) {
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
        Coordinator coordinator = new Coordinator(spec, plan, state, telemetry, new Lifecycle(followUps), persistence);

        initial.forEach(coordinator::post);
        current = coordinator;
        try {
            return coordinator.run();
        } finally {
            current = null;
            telemetry.close();
        }
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

    /** Adds context for the next leg (resume). */
    public void addContext(java.util.Map<String, Object> additional) {
        state.context.putAll(additional);
    }
}
