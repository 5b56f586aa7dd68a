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
        RunOptions.Builder options =
                copyDefaults().maxSteps(maxSteps).context(context).executionConfig(executionConfig);
        return Orchestra.await(register(Session.create(Orchestra.spec(task, topology, options.build())))
                .runHere());
    }

    /** Starts a session without waiting for it. */
    public SessionHandle start(Object task, Map<String, Object> context) {
        Session session = begin(task, context, defaults.maxSteps);
        return new SessionHandle(session.id(), session.start());
    }

    private Session begin(Object task, Map<String, Object> context, int maxSteps) {
        RunOptions.Builder options = copyDefaults().maxSteps(maxSteps).context(context);
        return register(Session.create(Orchestra.spec(task, topology, options.build())));
    }

    private Session register(Session session) {
        if (sessions.putIfAbsent(session.id(), session) != null) {
            throw new SessionException("session '" + session.id() + "' already exists in this instance");
        }
        return tracked(session);
    }

    /** A finished session is forgotten at once (D2): its state lives on only in storage, if there is one. */
    private Session tracked(Session session) {
        session.onFinished(() -> sessions.remove(session.id(), session));
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
        return Orchestra.await(known(sessionId).resume(additionalContext, false));
    }

    /**
     * Takes over a session that a crashed process left RUNNING in storage and continues it from its last saved step
     * (a step that was in flight at the crash runs again; completed steps do not). A running owner writes to storage
     * at least every second; when the session was written within the last few seconds, this call first watches it
     * for three seconds, and if its owner writes again it is alive and this call fails with a {@link
     * SessionException}, so the session keeps one owner.
     */
    public OrchestraResult recoverSession(String sessionId, Map<String, Object> additionalContext) {
        return Orchestra.await(known(sessionId).resume(additionalContext, true));
    }

    /** Answers the oldest pending question of a session and waits until the session stops again. */
    public OrchestraResult respond(String sessionId, String answer) {
        return respond(sessionId, null, answer);
    }

    /** Answers one pending question; a running session takes it at once and its own caller gets the result. */
    public OrchestraResult respond(
            String sessionId, @org.jspecify.annotations.Nullable String interactionId, String answer) {
        requireNonNull(answer, "answer");
        return Orchestra.await(known(sessionId).respond(interactionId, answer));
    }

    /** Takes a named checkpoint of a session (running or suspended); returns its id. Needs a StateManager. */
    public String createCheckpoint(String sessionId, String name) {
        requireNonNull(name, "name");
        stateManager("createCheckpoint");
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
        while (!session.cancel("cancelSession")) {
            if (session.cancelSuspended()) {
                sessions.remove(sessionId, session);
                return;
            }
            Thread.onSpinWait(); // a leg is starting: cancel that one
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
        Session loaded = tracked(Session.restore(specFor(snapshot), snapshot));
        Session raced = sessions.putIfAbsent(sessionId, loaded);
        return raced == null ? loaded : raced;
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
