package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.core.internal.engine.Session;
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
    private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** Sessions a user restored from a checkpoint: resumable even when the checkpoint was taken while running. */
    private final java.util.Set<String> restored = ConcurrentHashMap.newKeySet();

    private OrchestraInstance(Topology topology, RunOptions defaults) {
        this.topology = topology;
        this.defaults = defaults;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Topology topology() {
        return topology;
    }

    public OrchestraResult execute(Object task) {
        return execute(task, Map.of(), defaults.maxSteps);
    }

    public OrchestraResult execute(Object task, Map<String, Object> context, int maxSteps) {
        return Orchestra.await(begin(task, context, maxSteps).start());
    }

    /** Starts a session without waiting for it. */
    public SessionHandle start(Object task, Map<String, Object> context) {
        Session session = begin(task, context, defaults.maxSteps);
        return new SessionHandle(session.id(), session.start());
    }

    private Session begin(Object task, Map<String, Object> context, int maxSteps) {
        RunOptions.Builder options = copyDefaults().maxSteps(maxSteps).context(context);
        Session session = Session.create(Orchestra.spec(task, topology, options.build()));
        if (sessions.putIfAbsent(session.id(), session) != null) {
            throw new SessionException("session '" + session.id() + "' already exists in this instance");
        }
        return session;
    }

    private RunOptions.Builder copyDefaults() {
        return defaults.toBuilder();
    }

    /** Asks a running session to stop at its next step boundary; its {@code execute} then returns PAUSED. */
    public boolean pauseSession(String sessionId, String reason) {
        Session session = sessions.get(sessionId);
        return session != null && session.pause(reason);
    }

    /**
     * Continues a paused or waiting session (adding context) and waits until it stops again. With a {@link
     * StateManager} the session may come from storage — saved by this process or another one, also one that crashed
     * mid-run; of two processes resuming the same session, exactly one proceeds and the other gets a {@link
     * SessionException}.
     */
    public OrchestraResult resumeSession(String sessionId, Map<String, Object> additionalContext) {
        Session session = suspended(sessionId, false);
        session.claim();
        session.addContext(additionalContext);
        return Orchestra.await(session.start());
    }

    /**
     * Takes over a session that a crashed process left RUNNING in storage and continues it from its last saved step
     * (a step that was in flight at the crash runs again; completed steps do not). If the other process is in fact
     * alive, it stops at its next save with a clear error, so the session still has one owner.
     */
    public OrchestraResult recoverSession(String sessionId, Map<String, Object> additionalContext) {
        Session session = suspended(sessionId, true);
        session.claim();
        session.addContext(additionalContext);
        return Orchestra.await(session.start());
    }

    /** Answers the oldest pending question of a session and waits until the session stops again. */
    public OrchestraResult respond(String sessionId, String answer) {
        return respond(sessionId, null, answer);
    }

    /** Answers one pending question; a running session takes it at once and its own caller gets the result. */
    public OrchestraResult respond(
            String sessionId, @org.jspecify.annotations.Nullable String interactionId, String answer) {
        requireNonNull(answer, "answer");
        Session session = known(sessionId);
        if (!session.isRunning()) {
            session = suspended(sessionId, false);
            session.claim();
        }
        Session target = session;
        return target.respond(interactionId, answer).map(Orchestra::await).orElseGet(() -> target.last()
                .orElseThrow(() -> new SessionException(
                        "session '" + sessionId + "' is running; its caller receives the result")));
    }

    /** Takes a named checkpoint of a session (running or suspended); returns its id. Needs a StateManager. */
    public String createCheckpoint(String sessionId, String name) {
        requireNonNull(name, "name");
        try {
            return known(sessionId).checkpoint(name).get();
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
     * that was in flight then runs again). The session must not be running.
     */
    public boolean restoreCheckpoint(String checkpointId) {
        StateManager manager = stateManager("restoreCheckpoint");
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
        dev.orchestra4j.state.SessionSnapshot snapshot = manager.restoreCheckpoint(checkpointId);
        sessions.put(sessionId, Session.restore(specFor(snapshot), snapshot));
        restored.add(sessionId);
        return true;
    }

    private StateManager stateManager(String operation) {
        return defaults.stateManager.orElseThrow(() -> new SessionException(
                operation + " needs a StateManager; configure one with OrchestraInstance.builder().stateManager(...)"));
    }

    private dev.orchestra4j.core.internal.engine.SessionSpec specFor(dev.orchestra4j.state.SessionSnapshot snapshot) {
        RunOptions options = copyDefaults()
                .context(Map.of("session_id", snapshot.sessionId()))
                .build();
        return Orchestra.spec(Session.storedTask(snapshot), topology, options);
    }

    public List<SessionInfo> listSessions() {
        List<SessionInfo> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            OrchestraResult last = s.last().orElse(null);
            out.add(SessionInfo.builder()
                    .sessionId(s.id())
                    .running(s.isRunning())
                    .lastStatus(java.util.Optional.ofNullable(last).map(OrchestraResult::status))
                    .startedAt(s.startedAt())
                    .pendingQuestions(last == null ? 0 : last.pendingQuestions().size())
                    .build());
        }
        out.sort(java.util.Comparator.comparing(SessionInfo::startedAt));
        return out;
    }

    /** Cancels a running session (its agents are interrupted) or discards a suspended one. */
    public void cancelSession(String sessionId) {
        Session session = known(sessionId);
        if (!session.cancel("cancelSession")) {
            sessions.remove(sessionId);
        }
    }

    /** Cancels every running session. */
    @Override
    public void close() {
        sessions.values().forEach(s -> s.cancel("the instance was closed"));
    }

    /** The session in this instance, else the one in storage (loaded once). */
    private Session known(String sessionId) {
        Session session = sessions.get(sessionId);
        if (session != null) {
            return session;
        }
        if (defaults.stateManager.isEmpty()) {
            throw new SessionException("unknown session '" + sessionId + "'");
        }
        dev.orchestra4j.state.SessionSnapshot snapshot = defaults.stateManager
                .get()
                .loadSession(sessionId)
                .orElseThrow(
                        () -> new SessionException("unknown session '" + sessionId + "': not in this instance nor in "
                                + defaults.stateManager.get().backendName() + " storage"));
        Session loaded = Session.restore(specFor(snapshot), snapshot);
        Session raced = sessions.putIfAbsent(sessionId, loaded);
        return raced == null ? loaded : raced;
    }

    private Session suspended(String sessionId, boolean recovering) {
        Session session = known(sessionId);
        if (session.isRunning()) {
            throw new SessionException("session '" + sessionId + "' is running; pause it first");
        }
        String status = session.last()
                .map(r -> r.status().name())
                .or(session::storedStatus)
                .orElse("RUNNING");
        if (status.equals("RUNNING")
                && session.last().isEmpty()
                && session.storedStatus().isPresent()) {
            if (!recovering && !restored.remove(sessionId)) {
                throw new SessionException("session '" + sessionId + "' is marked RUNNING in storage: another process"
                        + " is running it, or died while running it (then call recoverSession to take it over)");
            }
            return session;
        }
        if (!status.equals(RunStatus.PAUSED.name()) && !status.equals(RunStatus.WAITING_FOR_USER.name())) {
            throw new SessionException("session '" + sessionId + "' ended " + status + " and cannot be resumed");
        }
        return session;
    }

    /** Builds an {@link OrchestraInstance}. */
    public static final class Builder {
        private Topology topology;
        private final RunOptions.Builder options = RunOptions.builder();

        private Builder() {}

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

        public OrchestraInstance build() {
            if (topology == null) {
                throw new IllegalStateException("topology is required: call topology(...) before build()");
            }
            return new OrchestraInstance(topology, options.build());
        }
    }
}
