package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.state.StateManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Everything optional about a run: agents, context, secrets, configs, storage, limits, listeners. Immutable; build with
 * {@link #builder()}, derive a variant with {@link #toBuilder()}.
 */
public final class RunOptions {

    /** The default lease check: no outside lease, the process that claimed a session owns it. */
    static final Predicate<String> NO_LEASE_CHECK = sessionId -> true;

    private static final RunOptions DEFAULTS = builder().build();

    final AgentRegistry agents;
    final Map<String, Object> context;
    final Map<String, Object> secrets;
    final ExecutionConfig execution;
    final ErrorHandlingConfig errors;
    final CommunicationConfig communication;
    final Optional<StateManager> stateManager;
    final int maxSteps;
    final boolean allowFollowUps;
    final Duration followUpTimeout;
    final List<OrchestraListener> listeners;
    final boolean awaitListeners;
    final List<StepInterceptor> interceptors;
    final Map<String, Predicate<Object>> conditions;
    final Clock clock;
    final Executor stepExecutor;
    final Predicate<String> leaseCheck;
    /** The explicit recording switch; null: record when there is a StateManager. */
    final @Nullable Boolean record;

    private RunOptions(Builder b) {
        this.agents = b.agents;
        this.context = Map.copyOf(b.context);
        this.secrets = Map.copyOf(b.secrets);
        this.execution = b.execution;
        this.errors = b.errors;
        this.communication = b.communication;
        this.stateManager = b.stateManager;
        this.maxSteps = b.maxSteps;
        this.allowFollowUps = b.allowFollowUps;
        this.followUpTimeout = b.followUpTimeout;
        this.listeners = List.copyOf(b.listeners);
        this.awaitListeners = b.awaitListeners;
        this.interceptors = List.copyOf(b.interceptors);
        this.conditions = Map.copyOf(b.conditions);
        this.clock = b.clock;
        this.stepExecutor = b.stepExecutor;
        this.leaseCheck = b.leaseCheck;
        this.record = b.record;
        if (Boolean.TRUE.equals(record) && stateManager.isEmpty()) {
            throw new IllegalStateException("record(true) needs a StateManager to record into; set stateManager(...)");
        }
    }

    /**
     * These options with {@code maxSteps} and {@code context} added to this context, exactly as {@code
     * toBuilder().maxSteps(maxSteps).context(context).build()} gives them, without copying every list and map: an
     * {@link OrchestraInstance} starts each session from its defaults this way.
     */
    RunOptions forRun(int maxSteps, Map<String, ?> context) {
        return new RunOptions(this, maxSteps, context);
    }

    private RunOptions(RunOptions base, int maxSteps, Map<String, ?> context) {
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("maxSteps must be positive, was " + maxSteps);
        }
        requireNonNull(context, "context");
        if (context.isEmpty()) {
            this.context = base.context;
        } else {
            Map<String, Object> merged = new LinkedHashMap<>(base.context);
            context.forEach((k, v) ->
                    merged.put(requireNonNull(k, "context key"), requireNonNull(v, "context value for '" + k + "'")));
            this.context = Map.copyOf(merged);
        }
        this.agents = base.agents;
        this.secrets = base.secrets;
        this.execution = base.execution;
        this.errors = base.errors;
        this.communication = base.communication;
        this.stateManager = base.stateManager;
        this.maxSteps = maxSteps;
        this.allowFollowUps = base.allowFollowUps;
        this.followUpTimeout = base.followUpTimeout;
        this.listeners = base.listeners;
        this.awaitListeners = base.awaitListeners;
        this.interceptors = base.interceptors;
        this.conditions = base.conditions;
        this.clock = base.clock;
        this.stepExecutor = base.stepExecutor;
        this.leaseCheck = base.leaseCheck;
        this.record = base.record;
    }

    public static RunOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every option of this one, to derive a variant (more context, another config, …). */
    public Builder toBuilder() {
        Builder b = new Builder()
                .agents(agents)
                .context(context)
                .secrets(secrets)
                .executionConfig(execution)
                .errorConfig(errors)
                .communicationConfig(communication)
                .maxSteps(maxSteps)
                .allowFollowUps(allowFollowUps)
                .followUpTimeout(followUpTimeout)
                .awaitListeners(awaitListeners)
                .clock(clock)
                .stepExecutor(stepExecutor)
                .leaseCheck(leaseCheck);
        stateManager.ifPresent(b::stateManager);
        b.record = record;
        listeners.forEach(b::listener);
        interceptors.forEach(b::stepInterceptor);
        conditions.forEach(b::condition);
        return b;
    }

    public AgentRegistry agents() {
        return agents;
    }

    public Map<String, Object> context() {
        return context;
    }

    /** The secrets: visible to agents in {@link AgentRequest#context()}, never written to storage. */
    public Map<String, Object> secrets() {
        return secrets;
    }

    public ExecutionConfig executionConfig() {
        return execution;
    }

    public ErrorHandlingConfig errorConfig() {
        return errors;
    }

    public CommunicationConfig communicationConfig() {
        return communication;
    }

    public Optional<StateManager> stateManager() {
        return stateManager;
    }

    public boolean allowFollowUps() {
        return allowFollowUps;
    }

    public Duration followUpTimeout() {
        return followUpTimeout;
    }

    public List<OrchestraListener> listeners() {
        return listeners;
    }

    public int maxSteps() {
        return maxSteps;
    }

    /**
     * Whether every agent step is recorded into the session's recording (see {@link Builder#record(boolean)}): on by
     * default when there is a {@link StateManager}.
     */
    public boolean recording() {
        return record != null ? record : stateManager.isPresent();
    }

    /** Builds {@link RunOptions}; setters validate at once. */
    public static final class Builder {
        private AgentRegistry agents = AgentRegistry.global();
        private final Map<String, Object> context = new LinkedHashMap<>();
        private final Map<String, Object> secrets = new LinkedHashMap<>();
        private ExecutionConfig execution = ExecutionConfig.defaults();
        private ErrorHandlingConfig errors = ErrorHandlingConfig.defaults();
        private CommunicationConfig communication = CommunicationConfig.none();
        private Optional<StateManager> stateManager = Optional.empty();
        private int maxSteps = 100;
        private boolean allowFollowUps;
        private Duration followUpTimeout = Duration.ofSeconds(60);
        private final List<OrchestraListener> listeners = new ArrayList<>();
        private boolean awaitListeners;
        private final List<StepInterceptor> interceptors = new ArrayList<>();
        private final Map<String, Predicate<Object>> conditions = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Executor stepExecutor = dev.orchestra4j.core.internal.engine.SessionSpec.VIRTUAL_THREADS;
        private Predicate<String> leaseCheck = NO_LEASE_CHECK;
        private @Nullable Boolean record;

        private Builder() {}

        public Builder agents(AgentRegistry value) {
            agents = requireNonNull(value, "agents");
            return this;
        }

        /** Session context, visible to every agent; {@code session_id} chooses the session id. */
        public Builder context(Map<String, ?> value) {
            requireNonNull(value, "context");
            value.forEach((k, v) ->
                    context.put(requireNonNull(k, "context key"), requireNonNull(v, "context value for '" + k + "'")));
            return this;
        }

        /**
         * A secret (an API key, a password, a token): agents see it in {@link AgentRequest#context()} under {@code
         * key} like any context entry, but it is never written to a snapshot, a checkpoint or the journal, and it
         * shadows a context entry of the same key. The storage also masks every occurrence of the secret's text in
         * what it writes (memories, tool calls, errors, the task), so an agent that echoes it does not leak it. A
         * session resumed in another process gets its secrets from that process's options.
         */
        public Builder secret(String key, Object value) {
            requireNonNull(key, "secret key");
            secrets.put(key, requireNonNull(value, "secret value for '" + key + "'"));
            return this;
        }

        /** Adds every entry of {@code value} as a {@link #secret(String, Object) secret}. */
        public Builder secrets(Map<String, ?> value) {
            requireNonNull(value, "secrets").forEach(this::secret);
            return this;
        }

        public Builder executionConfig(ExecutionConfig value) {
            execution = requireNonNull(value, "executionConfig");
            return this;
        }

        public Builder errorConfig(ErrorHandlingConfig value) {
            errors = requireNonNull(value, "errorConfig");
            return this;
        }

        public Builder communicationConfig(CommunicationConfig value) {
            communication = requireNonNull(value, "communicationConfig");
            return this;
        }

        public Builder stateManager(StateManager value) {
            stateManager = Optional.of(value);
            return this;
        }

        /** No storage: for offline replays, which must not write anything. */
        Builder withoutStorage() {
            stateManager = Optional.empty();
            record = null;
            return this;
        }

        /**
         * Whether to record every agent step — its input and decision, each model call of an {@code LlmAgent} (request
         * digest and messages, response, token usage, timing) and each tool call's result — in the {@link
         * StateManager}: with the step's commit in the session's journal (no write of its own), moved to the session's
         * recording before the journal is truncated, read back as one by {@link
         * dev.orchestra4j.core.replay.Recording#read}; through the storage's redactor and with secrets masked. A recorded session can be replayed offline, forked and compared ({@code
         * OrchestraInstance.replay}, {@code fork}, {@code RunDiff}). On by default when a StateManager is set; {@code
         * record(true)} without one is an error at {@link #build()}.
         */
        public Builder record(boolean value) {
            record = value;
            return this;
        }

        public Builder maxSteps(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxSteps must be positive, was " + value);
            }
            maxSteps = value;
            return this;
        }

        public Builder allowFollowUps(boolean value) {
            allowFollowUps = value;
            return this;
        }

        public Builder followUpTimeout(Duration value) {
            requireNonNull(value, "followUpTimeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("followUpTimeout must be positive, was " + value);
            }
            followUpTimeout = value;
            return this;
        }

        public Builder listener(OrchestraListener value) {
            listeners.add(requireNonNull(value, "listener"));
            return this;
        }

        /**
         * Whether a run returns only after every listener has received its last event (at most 5 s each). Off by
         * default: listeners are fed asynchronously and a slow one never delays anything. Turn it on when the caller
         * reads what a listener collected (a metrics summary) right after the run. A listener that calls back into the
         * instance from {@code onEvent} and waits there (a {@code respond} to the question it was told of, say) is
         * not awaited from then on: the session it waits for may be the one that would wait for it.
         */
        public Builder awaitListeners(boolean value) {
            awaitListeners = value;
            return this;
        }

        /** Wraps every agent call on its own thread (the first registered is the outermost). */
        public Builder stepInterceptor(StepInterceptor value) {
            interceptors.add(requireNonNull(value, "stepInterceptor"));
            return this;
        }

        /** Registers a named predicate for {@code [when name]} edge conditions; it gets the reply's content. */
        public Builder condition(String name, Predicate<Object> predicate) {
            requireNonNull(name, "name");
            conditions.put(name, requireNonNull(predicate, "predicate"));
            return this;
        }

        /** The clock every timeout is measured with (inject a controllable one in tests). */
        public Builder clock(Clock value) {
            clock = requireNonNull(value, "clock");
            return this;
        }

        /**
         * Where agent steps run when they do not run inline (default: a new virtual thread per step). It is called from
         * the thread driving the session, once per step; an executor that refuses a step (a bounded pool's
         * {@code RejectedExecutionException}) fails that step with an error naming the agent and the refusal.
         */
        public Builder stepExecutor(Executor value) {
            stepExecutor = requireNonNull(value, "stepExecutor");
            return this;
        }

        /**
         * Asked with the session id before every step a leg dispatches: whether this process still owns the session
         * (a cluster worker answers from its lease). When it answers false the leg stops at once, writes nothing and
         * returns a result whose {@link OrchestraResult#isOwnershipLost()} is true, so a stale owner runs no further
         * step. With a lease check, {@code recoverSession} does not first watch the stored owner for silence: the
         * lease, not storage, says who owns the session (the journal fence still stops a stale owner's commits).
         * Default: none (always true). It must be cheap (it runs on the session's coordinator) and must not throw.
         */
        public Builder leaseCheck(Predicate<String> value) {
            leaseCheck = requireNonNull(value, "leaseCheck");
            return this;
        }

        public RunOptions build() {
            return new RunOptions(this);
        }
    }
}
