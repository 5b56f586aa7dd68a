package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.core.internal.engine.RecordedValues;
import dev.orchestra4j.core.internal.engine.Session;
import dev.orchestra4j.core.internal.event.EventBus;
import dev.orchestra4j.core.internal.replay.RecordedAnswers;
import dev.orchestra4j.core.internal.replay.StepRecords;
import dev.orchestra4j.core.internal.replay.StepTaping;
import dev.orchestra4j.core.replay.Divergence;
import dev.orchestra4j.core.replay.Fork;
import dev.orchestra4j.core.replay.Recording;
import dev.orchestra4j.core.replay.Replay;
import dev.orchestra4j.core.replay.RunDiff;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * A long-lived orchestra for one topology: runs sessions, pauses and resumes them, answers their questions later,
 * checkpoints and restores them (with a {@link StateManager}, also across processes). Thread-safe.
 */
public final class OrchestraInstance implements AutoCloseable {

    private final Topology topology;
    private final RunOptions defaults;
    private static final String CLOSED = "the instance was closed";

    private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** Set by {@link #close()}: no session runs here any more (a leg that started as it closed is cancelled). */
    private volatile boolean closed;
    /** Replays running now: offline sessions outside {@link #sessions}, which {@link #close()} cancels too. */
    private final java.util.Set<Session> replays = ConcurrentHashMap.newKeySet();

    private OrchestraInstance(Topology topology, RunOptions defaults) {
        this.topology = topology;
        this.defaults = defaults;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this instance's topology and options, to derive another instance (say, with a lease check). */
    public Builder toBuilder() {
        return new Builder(topology, defaults.toBuilder());
    }

    public Topology topology() {
        return topology;
    }

    public OrchestraResult execute(Object task) {
        return execute(task, Map.of(), defaults.maxSteps);
    }

    public OrchestraResult execute(Object task, Map<String, Object> context, int maxSteps) {
        requireOpen("execute");
        return Orchestra.await(begin(task, context, maxSteps).runHere()); // this thread drives the session
    }

    /**
     * Like {@link #execute(Object, Map, int)} with an {@link ExecutionConfig} for this call only (timeouts, limits,
     * convergence, steering, status output); the instance's own configuration is unchanged. The session keeps this
     * configuration when it is paused and resumed in this instance.
     */
    public OrchestraResult execute(
            Object task, Map<String, Object> context, int maxSteps, ExecutionConfig executionConfig) {
        requireNonNull(executionConfig, "executionConfig");
        requireOpen("execute");
        RunOptions.Builder options =
                copyDefaults().maxSteps(maxSteps).context(context).executionConfig(executionConfig);
        return Orchestra.await(register(Session.create(Orchestra.spec(task, topology, options.build())))
                .runHere());
    }

    /** Starts a session without waiting for it. */
    public SessionHandle start(Object task, Map<String, Object> context) {
        requireOpen("start");
        Session session = begin(task, context, defaults.maxSteps);
        return new SessionHandle(session.id(), session.start());
    }

    private Session begin(Object task, Map<String, Object> context, int maxSteps) {
        return register(Session.create(Orchestra.spec(task, topology, defaults.forRun(maxSteps, context))));
    }

    private Session register(Session session) {
        if (sessions.putIfAbsent(session.id(), session) != null) {
            throw new SessionException("session '" + session.id() + "' already exists in this instance");
        }
        if (closed) { // close() ran meanwhile and may not have seen it: it must not run
            sessions.remove(session.id(), session);
            throw closedError("session '" + session.id() + "'");
        }
        return tracked(session);
    }

    /**
     * Refuses an operation that would run (or store a new) session once the instance is closed: {@link #close()} stops
     * it for good, like an executor's shutdown.
     */
    private void requireOpen(String operation) {
        if (closed) {
            throw closedError(operation);
        }
    }

    private static IllegalStateException closedError(String what) {
        return new IllegalStateException("this OrchestraInstance is closed: " + what
                + " would run a session in it; build a new instance (OrchestraInstance.builder() or toBuilder())");
    }

    /**
     * A leg of a session already held here, started unless the instance is closed. The check runs again once the leg
     * has started: a {@link #close()} in between did not see it running, so it is cancelled here.
     */
    private java.util.concurrent.CompletableFuture<OrchestraResult> openLeg(
            String operation,
            String sessionId,
            java.util.function.Function<Session, java.util.concurrent.CompletableFuture<OrchestraResult>> leg) {
        requireOpen(operation);
        Session session = known(sessionId);
        return cancelledIfClosed(session, leg.apply(session));
    }

    /** {@code started}, a leg of {@code session} that began after close() may have looked: cancelled if it did. */
    private java.util.concurrent.CompletableFuture<OrchestraResult> cancelledIfClosed(
            Session session, java.util.concurrent.CompletableFuture<OrchestraResult> started) {
        if (closed) {
            session.cancel(CLOSED);
        }
        return started;
    }

    /** A finished session is forgotten at once (D2): its state lives on only in storage, if there is one. */
    private Session tracked(Session session) {
        session.onFinished(() -> sessions.remove(session.id(), session));
        String id = session.id();
        if (defaults.leaseCheck != RunOptions.NO_LEASE_CHECK) {
            session.leaseCheck(() -> defaults.leaseCheck.test(id));
        }
        return session;
    }

    /**
     * Stores a new session without running it and returns its id ({@code session_id} in {@code context} chooses it):
     * any process sharing the {@link StateManager} can then start it with {@link #resumeSession}. Needs a
     * StateManager; fails with a {@link SessionException} when a session with that id is already stored.
     */
    public String createSession(Object task, Map<String, Object> context) {
        stateManager("createSession");
        requireOpen("createSession");
        RunOptions.Builder options = copyDefaults().context(context);
        Session session = Session.create(Orchestra.spec(task, topology, options.build()));
        session.persistCreated();
        return session.id();
    }

    /**
     * Forgets this instance's copy of a session that is not running here, so that the next call on it reads it from
     * storage again — needed when another process has continued the session since this one last ran it (its copy is
     * then stale and could never claim the session). Returns false when the session runs here (it is kept) or this
     * instance does not hold it.
     */
    public boolean release(String sessionId) {
        Session session = sessions.get(requireNonNull(sessionId, "sessionId"));
        if (session == null || !session.retire()) {
            return false;
        }
        sessions.remove(sessionId, session);
        return true;
    }

    private RunOptions.Builder copyDefaults() {
        return defaults.toBuilder();
    }

    /** Asks a running session to stop at its next step boundary; its {@code execute} then returns PAUSED. */
    public boolean pauseSession(String sessionId, String reason) {
        Session session = sessions.get(requireNonNull(sessionId, "sessionId"));
        return session != null && session.pause(reason);
    }

    /**
     * Continues a paused or waiting session (adding context) and waits until it stops again. With a {@link
     * StateManager} the session may come from storage — saved by this process or another one, also one that crashed
     * mid-run; of two processes resuming the same session, exactly one proceeds and the other gets a {@link
     * SessionException}.
     */
    public OrchestraResult resumeSession(String sessionId, Map<String, Object> additionalContext) {
        return Orchestra.await(openLeg("resumeSession", sessionId, s -> s.resume(additionalContext, false)));
    }

    /**
     * Takes over a session that a crashed process left RUNNING in storage and continues it from its last saved step
     * (a step that was in flight at the crash runs again; completed steps do not). A running owner writes to storage
     * at least every second; when the session was written within the last few seconds, this call first watches it
     * for three seconds, and if its owner writes again it is alive and this call fails with a {@link
     * SessionException}, so the session keeps one owner.
     */
    public OrchestraResult recoverSession(String sessionId, Map<String, Object> additionalContext) {
        return Orchestra.await(openLeg("recoverSession", sessionId, s -> s.resume(additionalContext, true)));
    }

    /** Answers the oldest pending question of a session and waits until the session stops again. */
    public OrchestraResult respond(String sessionId, String answer) {
        return respond(sessionId, null, answer);
    }

    /** Answers one pending question; a running session takes it at once and its own caller gets the result. */
    public OrchestraResult respond(
            String sessionId, @org.jspecify.annotations.Nullable String interactionId, String answer) {
        requireNonNull(answer, "answer");
        return Orchestra.await(openLeg("respond", sessionId, s -> s.respond(interactionId, answer)));
    }

    /**
     * Hands an answer to a leg of the session that runs in this instance right now, without waiting and without ever
     * starting a leg: false when none runs here or the question is not pending in it, also when another answer to it
     * was taken first (a cluster worker posts answers that reached it from another node this way).
     */
    public boolean offerAnswer(String sessionId, String interactionId, String answer) {
        requireNonNull(interactionId, "interactionId");
        requireNonNull(answer, "answer");
        Session session = sessions.get(requireNonNull(sessionId, "sessionId"));
        return session != null && session.offerAnswer(interactionId, answer);
    }

    /** The storage this instance's sessions are saved to, if it has one. */
    public java.util.Optional<StateManager> stateManager() {
        return defaults.stateManager;
    }

    /** Takes a named checkpoint of a session (running or suspended); returns its id. Needs a StateManager. */
    public String createCheckpoint(String sessionId, String name) {
        requireNonNull(name, "name");
        stateManager("createCheckpoint");
        try {
            java.util.concurrent.CompletableFuture<String> id = known(sessionId).checkpoint(name);
            EventBus.releaseCurrentListener(); // a listener taking it must not be awaited by the leg that takes it
            return id.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("interrupted while taking checkpoint '" + name + "'", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new SessionException("checkpoint failed", e);
        }
    }

    /**
     * Makes a session's stored state equal to the checkpoint's; the next {@link #resumeSession} continues from there
     * and re-runs only what came after it — also when the checkpoint was taken while the session was running (a step
     * that was in flight then runs again). The session must not be running, here or in any other process: a session
     * stored RUNNING is refused, and the restore is a compare-and-set on the stored version it checked, so a write by
     * another process in between makes it fail with a {@link SessionException} instead of being overwritten.
     */
    public boolean restoreCheckpoint(String checkpointId) {
        StateManager manager = stateManager("restoreCheckpoint");
        requireOpen("restoreCheckpoint");
        int slash = checkpointId.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException(
                    "invalid checkpoint id '" + checkpointId + "': expected '<sessionId>/<sequence>-<name>'");
        }
        String sessionId = checkpointId.substring(0, slash);
        Session existing = sessions.get(sessionId);
        if (existing != null && existing.isRunning()) {
            throw new SessionException("session '" + sessionId + "' is running; pause it before restoring checkpoint '"
                    + checkpointId + "'");
        }
        dev.orchestra4j.state.SessionSnapshot current = manager.loadSession(sessionId)
                .orElseThrow(() -> new SessionException("cannot restore checkpoint '" + checkpointId + "': session '"
                        + sessionId + "' is not in storage"));
        if (current.status().equals("RUNNING")) {
            throw new SessionException("session '" + sessionId + "' is RUNNING in storage: another process runs it"
                    + " (or died running it: recoverSession, then pause it) — pause it before restoring checkpoint '"
                    + checkpointId + "'");
        }
        dev.orchestra4j.state.SessionSnapshot snapshot;
        try {
            // the restore drops the journal, and with it the step records it still holds: move them first
            dev.orchestra4j.core.internal.engine.JournaledRecords.moveAll(manager, sessionId);
            snapshot = manager.restoreCheckpoint(checkpointId, current.version());
        } catch (dev.orchestra4j.state.ConcurrentSessionModificationException e) {
            throw new SessionException(
                    "session '" + sessionId + "' was written by another process while checkpoint '" + checkpointId
                            + "' was being restored; nothing was restored",
                    e);
        } catch (dev.orchestra4j.state.StateException e) {
            release(sessionId); // the restore may have taken effect: the next call reads the session from storage
            throw e;
        }
        Session released = sessions.get(sessionId);
        if (released != null) {
            released.retire(); // a stale copy must never start a leg again
        }
        sessions.put(
                sessionId, tracked(Session.restore(specFor(snapshot), snapshot).restoredFromCheckpoint()));
        return true;
    }

    private StateManager stateManager(String operation) {
        return defaults.stateManager.orElseThrow(() -> new SessionException(
                operation + " needs a StateManager; configure one with OrchestraInstance.builder().stateManager(...)"));
    }

    private dev.orchestra4j.core.internal.engine.SessionSpec specFor(dev.orchestra4j.state.SessionSnapshot snapshot) {
        RunOptions.Builder builder = copyDefaults().context(Map.of("session_id", snapshot.sessionId()));
        Session.storedMaxSteps(snapshot).ifPresent(builder::maxSteps); // the session's own limit, not the default
        RunOptions options = builder.build();
        return Orchestra.spec(Session.storedTask(snapshot), topology, options);
    }

    /**
     * Runs a recorded session again, offline: with the instance's topology and agents, the session's stored task and
     * context, every model and tool call of an {@code LlmAgent} answered from the session's recording (never from
     * the network; tools are not run), and every question to the user answered with the answer the session received
     * for it (the user channel is never asked). Nothing is stored. When a request no longer matches the recording — a changed
     * prompt, tool, input, agent or topology — the replay stops at that step without calling the model: the result is
     * CANCELLED and {@link Replay#divergence()} says where and how (expected vs actual request, agent, step); so does a
     * question the recording holds no answer for (the session was still waiting there, or it was recorded before
     * answers were) or that reads differently from the recorded one. Needs a
     * StateManager holding the session's recording ({@link RunOptions.Builder#record(boolean)}, on by default).
     *
     * @throws SessionException when the session is not in storage
     * @throws IllegalArgumentException when it has no recording
     */
    public Replay replay(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        StateManager manager = stateManager("replay");
        requireOpen("replay");
        dev.orchestra4j.state.SessionSnapshot snapshot = storedSession(manager, sessionId);
        Recording recording = Recording.read(manager, sessionId);
        java.util.concurrent.atomic.AtomicReference<Session> running =
                new java.util.concurrent.atomic.AtomicReference<>();
        StepTaping taping = StepTaping.replaying(
                StepRecords.read(manager, sessionId), defaults.clock, d -> stop(running, sessionId, d));
        RunOptions.Builder options = copyDefaults()
                .withoutStorage()
                .context(RecordedValues.storedContext(snapshot))
                .context(Map.of("session_id", sessionId))
                .stepInterceptor(taping)
                // the recorded answers, never the live user; follow-ups only where the session had a channel for them
                .communicationConfig(CommunicationConfig.of(RecordedAnswers.of(manager, sessionId, taping)))
                .allowFollowUps(defaults.allowFollowUps()
                        && defaults.communicationConfig().channel().isPresent());
        Session.storedMaxSteps(snapshot).ifPresent(options::maxSteps);
        Session session = Session.create(Orchestra.spec(Session.storedTask(snapshot), topology, options.build()));
        running.set(session);
        replays.add(session); // not in the session map (the stored session may be there), but close() cancels it
        OrchestraResult result;
        try {
            result = Orchestra.await(cancelledIfClosed(session, session.start()));
        } finally {
            replays.remove(session);
        }
        return new Replay(sessionId, sessionId, result, taping.divergence(), recording);
    }

    /** {@link #fork(String, Fork, String)} at a committed step: {@code Fork.atStep(step)}. */
    public Replay fork(String sessionId, int step, String newSessionId) {
        return fork(sessionId, Fork.atStep(step), newSessionId);
    }

    /** {@link #fork(String, Fork, String)} at a checkpoint of the session: {@code Fork.atCheckpoint(checkpointId)}. */
    public Replay fork(String sessionId, String checkpointId, String newSessionId) {
        return fork(sessionId, Fork.atCheckpoint(checkpointId), newSessionId);
    }

    /**
     * Starts a new session {@code newSessionId} from a point of a recorded session — after one of its committed steps,
     * or at one of its checkpoints — with the changes {@code fork} asks for (another agent, another execution config,
     * another pending input), runs it live or in replay-until-divergence mode, and waits for it. Steps before the fork
     * point are not run again: their recorded decisions and memories are taken as they were and copied into the new
     * session's recording, so the fork can itself be replayed, forked and compared ({@link RunDiff}). The original
     * session and its recording are untouched. The new session is stored and recorded like any other.
     *
     * @throws SessionException when the session is not stored or {@code newSessionId} already exists
     * @throws IllegalArgumentException when the fork point is not in the recording, or the change does not fit it
     */
    public Replay fork(String sessionId, Fork fork, String newSessionId) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(fork, "fork");
        requireNonNull(newSessionId, "newSessionId");
        StateManager manager = stateManager("fork");
        requireOpen("fork");
        dev.orchestra4j.state.SessionSnapshot original = storedSession(manager, sessionId);
        Recording recording = Recording.read(manager, sessionId);
        List<StepRecords.StepRecord> records = StepRecords.read(manager, sessionId);
        if (sessions.containsKey(newSessionId)
                || manager.loadSession(newSessionId).isPresent()
                || manager.lastRecordingSequence(newSessionId) > 0) {
            throw new SessionException("cannot fork '" + sessionId + "' as '" + newSessionId + "': session '"
                    + newSessionId + "' already exists; choose a new id");
        }
        RunOptions.Builder options = copyDefaults().record(false).context(Map.of("session_id", newSessionId));
        fork.executionConfig().ifPresent(options::executionConfig);
        if (!fork.agents().isEmpty()) {
            options.agents(defaults.agents.withReplaced(fork.agents()));
        }
        dev.orchestra4j.core.internal.SecretMask mask = dev.orchestra4j.core.internal.SecretMask.of(defaults.secrets);
        java.util.concurrent.atomic.AtomicReference<Session> running =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.function.Consumer<Divergence> onDivergence = d -> stop(running, newSessionId, d);
        StepTaping taping;
        Session session;
        java.util.concurrent.CompletableFuture<OrchestraResult> leg;
        if (fork.checkpointId().isPresent()) {
            String checkpointId = fork.checkpointId().get();
            if (!checkpointId.startsWith(sessionId + "/")) {
                throw new IllegalArgumentException(
                        "checkpoint '" + checkpointId + "' is not a checkpoint of session '" + sessionId + "'");
            }
            if (fork.input().isPresent()) {
                throw new IllegalArgumentException("Fork.withInput needs a fork at a step; checkpoint '" + checkpointId
                        + "' has no single pending input to replace");
            }
            dev.orchestra4j.state.SessionSnapshot checkpoint = manager.loadCheckpoint(checkpointId);
            String status = checkpoint.status();
            if (!List.of("RUNNING", RunStatus.PAUSED.name(), RunStatus.WAITING_FOR_USER.name())
                    .contains(status)) {
                throw new IllegalArgumentException(
                        "checkpoint '" + checkpointId + "' was taken after the session ended " + status
                                + "; nothing is left to run from it: fork at a step instead");
            }
            int through = checkpoint.payload().path("counters").path("steps").asInt();
            StepTaping.copyInto(manager, mask, records, sessionId, newSessionId, through);
            taping = StepTaping.forking(
                    mask, records, sessionId, 0, null, fork.replaysUntilDivergence(), defaults.clock, onDivergence);
            options.stepInterceptor(taping);
            Session.storedMaxSteps(checkpoint).ifPresent(options::maxSteps);
            dev.orchestra4j.state.SessionSnapshot copy = new dev.orchestra4j.state.SessionSnapshot(
                    dev.orchestra4j.state.SessionSnapshot.CURRENT_SCHEMA_VERSION,
                    newSessionId,
                    0,
                    status,
                    checkpoint.createdAt(),
                    defaults.clock.instant(),
                    checkpoint.topologyJson(),
                    checkpoint.topologyDigest(),
                    renamed(checkpoint.payload(), newSessionId));
            session = Session.restore(Orchestra.spec(Session.storedTask(copy), topology, options.build()), copy)
                    .restoredFromCheckpoint();
            register(session);
            running.set(session);
            leg = session.resume(Map.of(), false);
        } else {
            int step = fork.step().orElseThrow();
            int last = records.getLast().step().step();
            if (records.stream().noneMatch(r -> r.step().step() == step)) {
                throw new IllegalArgumentException("session '" + sessionId + "' has no step " + step
                        + " in its recording (its steps are 1 to " + last + ")");
            }
            String action = recording.step(step).orElseThrow().action();
            if (fork.input().isPresent() && !action.equals("handoff") && !action.equals("reply")) {
                throw new IllegalArgumentException("cannot edit the pending input after step " + step + " of session '"
                        + sessionId + "': it ended with " + action + ", not a hand-off or a reply");
            }
            taping = StepTaping.forking(
                    mask,
                    records,
                    sessionId,
                    step,
                    fork.input().orElse(null),
                    fork.replaysUntilDivergence(),
                    defaults.clock,
                    onDivergence);
            options.context(RecordedValues.storedContext(original))
                    .context(Map.of("session_id", newSessionId))
                    .stepInterceptor(taping);
            Session.storedMaxSteps(original).ifPresent(options::maxSteps);
            session = register(Session.create(Orchestra.spec(Session.storedTask(original), topology, options.build())));
            running.set(session);
            leg = session.start();
        }
        OrchestraResult result = Orchestra.await(leg);
        return new Replay(sessionId, newSessionId, result, taping.divergence(), recording);
    }

    private static void stop(
            java.util.concurrent.atomic.AtomicReference<Session> running, String sessionId, Divergence divergence) {
        Session session = running.get();
        if (session == null) {
            throw new IllegalStateException("session '" + sessionId + "' diverged before it started: " + divergence);
        }
        session.cancel("replay of session '" + sessionId + "' " + divergence);
    }

    private dev.orchestra4j.state.SessionSnapshot storedSession(StateManager manager, String sessionId) {
        return manager.loadSession(sessionId)
                .orElseThrow(() -> new SessionException(
                        "unknown session '" + sessionId + "': not in " + manager.backendName() + " storage"));
    }

    /** A stored payload whose context names {@code sessionId} as its session, if it named one. */
    private static com.fasterxml.jackson.databind.JsonNode renamed(
            com.fasterxml.jackson.databind.JsonNode payload, String sessionId) {
        com.fasterxml.jackson.databind.JsonNode copy = payload.deepCopy();
        if (copy.path("context") instanceof com.fasterxml.jackson.databind.node.ObjectNode context
                && context.has("session_id")) {
            context.put("session_id", sessionId);
        }
        return copy;
    }

    /**
     * The sessions this instance holds (running or suspended) and, with a {@link StateManager}, every session in its
     * storage (finished ones included; for those {@code startedAt} is the time they were last saved).
     */
    public List<SessionInfo> listSessions() {
        List<SessionInfo> out = new ArrayList<>();
        defaults.stateManager.ifPresent(manager -> manager.listSessions().stream()
                .filter(stored -> !sessions.containsKey(stored.sessionId()))
                .forEach(stored -> out.add(SessionInfo.builder()
                        .sessionId(stored.sessionId())
                        .running(false)
                        .lastStatus(java.util.Arrays.stream(RunStatus.values())
                                .filter(status -> status.name().equals(stored.status()))
                                .findFirst())
                        .startedAt(stored.updatedAt())
                        .pendingQuestions(0)
                        .build())));
        for (Session s : sessions.values()) {
            dev.orchestra4j.core.internal.engine.LastLeg last = s.last().orElse(null);
            out.add(SessionInfo.builder()
                    .sessionId(s.id())
                    .running(s.isRunning())
                    .lastStatus(java.util.Optional.ofNullable(last)
                            .map(dev.orchestra4j.core.internal.engine.LastLeg::status))
                    .startedAt(s.startedAt())
                    .pendingQuestions(last == null ? 0 : last.pendingQuestions())
                    .build());
        }
        out.sort(java.util.Comparator.comparing(SessionInfo::startedAt));
        return out;
    }

    /** Cancels a running session (its agents are interrupted) or discards a suspended one. */
    public void cancelSession(String sessionId) {
        Session session = known(sessionId);
        EventBus.releaseCurrentListener(); // a listener cancelling must not be awaited by the leg it waits for
        while (!session.cancel("cancelSession").join()) { // false: no leg took it
            if (session.cancelSuspended()) {
                sessions.remove(sessionId, session);
                return;
            }
            Thread.onSpinWait(); // a leg is starting: cancel that one
        }
    }

    /**
     * Cancels every running session and closes the instance: from then on every call that would run a session (or
     * store a new one) — {@code execute}, {@code start}, {@code createSession}, {@code resumeSession}, {@code
     * recoverSession}, {@code respond}, {@code restoreCheckpoint}, {@code replay}, {@code fork} — fails with an {@link
     * IllegalStateException}; a leg that starts while it closes is cancelled. What is suspended stays as it is (and in
     * storage, if there is one): another instance can resume it. Listing, pausing and cancelling sessions still work.
     * Closing twice does nothing more.
     */
    @Override
    public void close() {
        closed = true;
        sessions.values().forEach(s -> s.cancel(CLOSED));
        replays.forEach(s -> s.cancel(CLOSED));
    }

    /** The session in this instance, else the one in storage (loaded once). */
    private Session known(String sessionId) {
        Session session = sessions.get(requireNonNull(sessionId, "sessionId"));
        if (session != null) {
            return session;
        }
        if (defaults.stateManager.isEmpty()) {
            throw new SessionException("unknown session '" + sessionId + "': not in this instance (a finished session"
                    + " is not kept in memory, and this instance has no StateManager to read it from)");
        }
        dev.orchestra4j.state.SessionSnapshot snapshot = defaults.stateManager
                .get()
                .loadSession(sessionId)
                .orElseThrow(
                        () -> new SessionException("unknown session '" + sessionId + "': not in this instance nor in "
                                + defaults.stateManager.get().backendName() + " storage"));
        Session loaded = tracked(Session.restore(specFor(snapshot), snapshot));
        Session raced = sessions.putIfAbsent(sessionId, loaded);
        return raced == null ? loaded : raced;
    }

    /** Builds an {@link OrchestraInstance}. */
    public static final class Builder {
        private @org.jspecify.annotations.Nullable Topology topology;
        private final RunOptions.Builder options;

        private Builder() {
            this(null, RunOptions.builder());
        }

        private Builder(@org.jspecify.annotations.Nullable Topology topology, RunOptions.Builder options) {
            this.topology = topology;
            this.options = options;
        }

        public Builder topology(Topology value) {
            topology = requireNonNull(value, "topology");
            return this;
        }

        public Builder agents(AgentRegistry value) {
            options.agents(value);
            return this;
        }

        public Builder executionConfig(ExecutionConfig value) {
            options.executionConfig(value);
            return this;
        }

        public Builder errorConfig(ErrorHandlingConfig value) {
            options.errorConfig(value);
            return this;
        }

        public Builder communicationConfig(CommunicationConfig value) {
            options.communicationConfig(value);
            return this;
        }

        public Builder stateManager(StateManager value) {
            options.stateManager(value);
            return this;
        }

        /**
         * A secret every session of this instance gets (see {@link RunOptions.Builder#secret}): never stored, so a
         * session run elsewhere and continued here ({@code respond}, {@code resumeSession}, {@code recoverSession})
         * gets it from here.
         */
        public Builder secret(String key, Object value) {
            options.secret(key, value);
            return this;
        }

        /** Adds every entry of {@code value} as a {@link #secret(String, Object) secret}. */
        public Builder secrets(Map<String, ?> value) {
            options.secrets(value);
            return this;
        }

        /** See {@link RunOptions.Builder#record(boolean)}: on by default with a StateManager. */
        public Builder record(boolean value) {
            options.record(value);
            return this;
        }

        public Builder listener(OrchestraListener value) {
            options.listener(value);
            return this;
        }

        /** See {@link RunOptions.Builder#awaitListeners(boolean)}. */
        public Builder awaitListeners(boolean value) {
            options.awaitListeners(value);
            return this;
        }

        public Builder maxSteps(int value) {
            options.maxSteps(value);
            return this;
        }

        public Builder allowFollowUps(boolean value) {
            options.allowFollowUps(value);
            return this;
        }

        public Builder followUpTimeout(Duration value) {
            options.followUpTimeout(value);
            return this;
        }

        public Builder context(Map<String, ?> value) {
            options.context(new LinkedHashMap<>(value));
            return this;
        }

        public Builder stepInterceptor(StepInterceptor value) {
            options.stepInterceptor(value);
            return this;
        }

        public Builder condition(String name, Predicate<Object> predicate) {
            options.condition(name, predicate);
            return this;
        }

        public Builder clock(Clock value) {
            options.clock(value);
            return this;
        }

        public Builder stepExecutor(java.util.concurrent.Executor value) {
            options.stepExecutor(value);
            return this;
        }

        /** See {@link RunOptions.Builder#leaseCheck(Predicate)}. */
        public Builder leaseCheck(Predicate<String> value) {
            options.leaseCheck(value);
            return this;
        }

        public OrchestraInstance build() {
            if (topology == null) {
                throw new IllegalStateException("topology is required: call topology(...) before build()");
            }
            RunOptions defaults = options.build();
            Orchestra.checkFollowUps(defaults);
            return new OrchestraInstance(topology, defaults);
        }
    }
}
