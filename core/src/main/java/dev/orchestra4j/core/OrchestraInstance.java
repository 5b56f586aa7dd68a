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
        RunOptions.Builder b = RunOptions.builder()
                .agents(defaults.agents)
                .context(defaults.context)
                .executionConfig(defaults.execution)
                .errorConfig(defaults.errors)
                .communicationConfig(defaults.communication)
                .allowFollowUps(defaults.allowFollowUps)
                .followUpTimeout(defaults.followUpTimeout)
                .clock(defaults.clock)
                .stepExecutor(defaults.stepExecutor);
        defaults.stateManager.ifPresent(b::stateManager);
        defaults.listeners.forEach(b::listener);
        defaults.conditions.forEach(b::condition);
        return b;
    }

    /** Asks a running session to stop at its next step boundary; its {@code execute} then returns PAUSED. */
    public boolean pauseSession(String sessionId, String reason) {
        Session session = sessions.get(sessionId);
        return session != null && session.pause(reason);
    }

    /** Continues a paused or waiting session (adding context) and waits until it stops again. */
    public OrchestraResult resumeSession(String sessionId, Map<String, Object> additionalContext) {
        Session session = suspended(sessionId);
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
        return session.respond(interactionId, answer).map(Orchestra::await).orElseGet(() -> session.last()
                .orElseThrow(() -> new SessionException(
                        "session '" + sessionId + "' is running; its caller receives the result")));
    }

    public String createCheckpoint(String sessionId, String name) {
        throw new SessionException(
                "checkpoints need a StateManager; none is configured for session '" + sessionId + "'");
    }

    public boolean restoreCheckpoint(String checkpointId) {
        throw new SessionException(
                "checkpoints need a StateManager; none is configured (checkpoint '" + checkpointId + "')");
    }

    public List<SessionInfo> listSessions() {
        List<SessionInfo> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            OrchestraResult last = s.last().orElse(null);
            out.add(new SessionInfo(
                    s.id(),
                    s.isRunning(),
                    java.util.Optional.ofNullable(last).map(OrchestraResult::status),
                    s.startedAt(),
                    last == null ? 0 : last.pendingQuestions().size()));
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

    private Session known(String sessionId) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            throw new SessionException("unknown session '" + sessionId + "'");
        }
        return session;
    }

    private Session suspended(String sessionId) {
        Session session = known(sessionId);
        if (session.isRunning()) {
            throw new SessionException("session '" + sessionId + "' is running; pause it first");
        }
        RunStatus status = session.last().map(OrchestraResult::status).orElse(RunStatus.FAILED);
        if (!status.isSuspended()) {
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
