package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.data.message.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything one agent step sees: who it is, what it received ({@link #received()}), the session's task and
 * context, its memory on this branch and what the topology lets it do next. Immutable apart from the memory working
 * copy; the engine builds it, tests use {@link #of} or {@link #builder()}.
 */
public final class AgentRequest {

    private final String sessionId;
    private final String branchId;
    private final String agent;
    private final Object task;
    private final Input received;
    private final String from;
    private final Map<String, Object> context;
    private final List<ChatMessage> memory;
    private final List<String> peers;
    private final boolean canFinish;
    private final boolean canAskUser;
    private final int step;
    private final int attempt;
    private final Optional<ErrorContext> error;
    private final ExecutionConfig config;
    private final StepRecorder recorder;

    private AgentRequest(Builder b) {
        this.sessionId = b.sessionId;
        this.branchId = b.branchId;
        this.agent = b.agent;
        this.task = b.task;
        this.received = b.received;
        this.from = b.from;
        this.context = java.util.Collections.unmodifiableMap(b.context);
        this.memory = b.memory != null ? b.memory : new ArrayList<>();
        this.peers = List.copyOf(b.peers);
        this.canFinish = b.canFinish;
        this.canAskUser = b.canAskUser;
        this.step = b.step;
        this.attempt = b.attempt;
        this.error = b.error;
        this.config = b.config;
        this.recorder = b.recorder;
    }

    /** A builder with every field at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this AgentRequest's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The session this step belongs to. */
    public String sessionId() {
        return sessionId;
    }

    /** The branch running the step (unique within the session). */
    public String branchId() {
        return branchId;
    }

    /** The node name of the agent being called. */
    public String agent() {
        return agent;
    }

    /** The session's task, as given to {@code Orchestra.run}. */
    public Object task() {
        return task;
    }

    /** What this step received and why, as a typed {@link Input}; see {@link #input()} for the raw value. */
    public Input received() {
        return received;
    }

    /** Who sent the input (an agent name, {@code "Start"}, {@code "User"}), or {@code null} after a barrier fired. */
    public @Nullable String from() {
        return from;
    }

    /** The session context, read-only (secrets given with {@code RunOptions.Builder#secret} included). */
    public Map<String, Object> context() {
        return context;
    }

    /** This agent's messages in this branch: a working copy the agent may append to; what it holds when the step returns normally becomes the agent's memory for the next step on this branch, a failed step leaves the memory untouched. */
    public List<ChatMessage> memory() {
        return memory;
    }

    /** The agents this node may invoke (its successors in the topology, End and User excluded). */
    public List<String> peers() {
        return peers;
    }

    /** Whether this node has an edge to End. */
    public boolean canFinish() {
        return canFinish;
    }

    /** Whether this node has an edge to User. */
    public boolean canAskUser() {
        return canAskUser;
    }

    /** The session-wide step number (1-based). */
    public int step() {
        return step;
    }

    /** The attempt of this step (1 unless retried). */
    public int attempt() {
        return attempt;
    }

    /** Why the previous attempt failed, or why this handler was reached over an error edge. */
    public Optional<ErrorContext> error() {
        return error;
    }

    /** The session's execution settings (timeouts, steering limits). */
    public ExecutionConfig config() {
        return config;
    }

    /** Where to report token usage and tool calls. */
    public StepRecorder recorder() {
        return recorder;
    }

    /**
     * The raw input: the task, what the sender passed, a {@code List<Arrival>} after a barrier fired, the user's
     * answer, or (on an error route) what the failed agent was given. {@link #received()} says which.
     */
    public Object input() {
        return received.value();
    }

    /**
     * The input converted to {@code type} through Jackson (itself when it already is one; a Map to a record or POJO,
     * …).
     *
     * @throws IllegalArgumentException naming the input and the agent when the value cannot be converted
     */
    public <T> T input(Class<T> type) {
        return TypedValues.convert(input(), type, "input of agent '" + agent + "'");
    }

    /** The input as text: strings as they are, barrier aggregates as {@code [from Agent]} blocks, else JSON. */
    public String inputText() {
        return Values.asText(input());
    }

    /** The arrivals after a barrier fired, or an empty list when the input is not a {@link Input.Joined}. */
    public List<Arrival> arrivals() {
        return received instanceof Input.Joined joined ? joined.arrivals() : List.of();
    }

    /**
     * A context value converted to {@code type} through Jackson, if present.
     *
     * @throws IllegalArgumentException naming the key when the value cannot be converted
     */
    public <T> Optional<T> context(String key, Class<T> type) {
        Object value = context.get(key);
        return value == null
                ? Optional.empty()
                : Optional.of(TypedValues.convert(value, type, "context '" + key + "'"));
    }

    /** A minimal request for unit-testing an agent outside a session: {@code input} is the task, sent from Start. */
    public static AgentRequest of(String agent, Object input) {
        return builder().agent(agent).task(input).input(input).canFinish(true).build();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AgentRequest that)) {
            return false;
        }
        return java.util.Objects.equals(sessionId, that.sessionId)
                && java.util.Objects.equals(branchId, that.branchId)
                && java.util.Objects.equals(agent, that.agent)
                && java.util.Objects.equals(task, that.task)
                && java.util.Objects.equals(received, that.received)
                && java.util.Objects.equals(from, that.from)
                && java.util.Objects.equals(context, that.context)
                && java.util.Objects.equals(memory, that.memory)
                && java.util.Objects.equals(peers, that.peers)
                && canFinish == that.canFinish
                && canAskUser == that.canAskUser
                && step == that.step
                && attempt == that.attempt
                && java.util.Objects.equals(error, that.error)
                && java.util.Objects.equals(config, that.config)
                && java.util.Objects.equals(recorder, that.recorder);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                sessionId,
                branchId,
                agent,
                task,
                received,
                from,
                context,
                memory,
                peers,
                canFinish,
                canAskUser,
                step,
                attempt,
                error,
                config,
                recorder);
    }

    @Override
    public String toString() {
        return "AgentRequest[" + "sessionId=" + sessionId + ", " + "branchId=" + branchId + ", " + "agent=" + agent
                + ", " + "task=" + task + ", " + "received=" + received + ", " + "from=" + from + ", " + "context="
                + context + ", " + "memory=" + memory + ", " + "peers=" + peers + ", " + "canFinish=" + canFinish + ", "
                + "canAskUser=" + canAskUser + ", " + "step=" + step + ", " + "attempt=" + attempt + ", " + "error="
                + error + ", " + "config=" + config + ", " + "recorder=" + recorder + "]";
    }

    /** Builds a {@link AgentRequest}; setters check their argument at once. */
    public static final class Builder {
        private String sessionId = "test-session";
        private String branchId = "b1";
        private @Nullable String agent;
        private @Nullable Object task;
        private @Nullable Input received;
        private @Nullable Object input;
        private @Nullable String from;
        private Map<String, Object> context = Map.of();
        private @Nullable List<ChatMessage> memory; // a fresh ArrayList when never set
        private List<String> peers = List.of();
        private boolean canFinish;
        private boolean canAskUser;
        private int step = 1;
        private int attempt = 1;
        private Optional<ErrorContext> error = Optional.empty();
        private ExecutionConfig config = ExecutionConfig.defaults();
        private StepRecorder recorder = StepRecorder.none();

        private Builder() {}

        private Builder(AgentRequest v) {
            sessionId = v.sessionId;
            branchId = v.branchId;
            agent = v.agent;
            task = v.task;
            received = v.received;
            input = v.received.value();
            from = v.from;
            context = v.context;
            memory = v.memory;
            peers = v.peers;
            canFinish = v.canFinish;
            canAskUser = v.canAskUser;
            step = v.step;
            attempt = v.attempt;
            error = v.error;
            config = v.config;
            recorder = v.recorder;
        }

        public Builder sessionId(String value) {
            sessionId = requireNonNull(value, "sessionId");
            return this;
        }

        public Builder branchId(String value) {
            branchId = requireNonNull(value, "branchId");
            return this;
        }

        public Builder agent(String value) {
            agent = requireNonNull(value, "agent");
            return this;
        }

        public Builder task(Object value) {
            task = requireNonNull(value, "task");
            return this;
        }

        public Builder received(Input value) {
            received = requireNonNull(value, "received");
            return this;
        }

        public Builder from(@Nullable String value) {
            from = value;
            return this;
        }

        public Builder context(Map<String, Object> value) {
            context = requireNonNull(value, "context");
            return this;
        }

        public Builder memory(List<ChatMessage> value) {
            memory = requireNonNull(value, "memory"); // not copied: the agent's working copy
            return this;
        }

        public Builder peers(List<String> value) {
            peers = requireNonNull(value, "peers");
            return this;
        }

        public Builder canFinish(boolean value) {
            canFinish = value;
            return this;
        }

        public Builder canAskUser(boolean value) {
            canAskUser = value;
            return this;
        }

        public Builder step(int value) {
            step = value;
            return this;
        }

        public Builder attempt(int value) {
            attempt = value;
            return this;
        }

        public Builder error(Optional<ErrorContext> value) {
            error = requireNonNull(value, "error");
            return this;
        }

        public Builder config(ExecutionConfig value) {
            config = requireNonNull(value, "config");
            return this;
        }

        public Builder recorder(StepRecorder value) {
            recorder = requireNonNull(value, "recorder");
            return this;
        }

        /**
         * Sets the raw input; unless {@link #received(Input)} is called, {@code build()} derives its kind: after a
         * barrier ({@code from} null, a list of {@link Arrival}s) a {@link Input.Joined}; from {@code "User"} an
         * {@link Input.Answer}; with an error of another agent an {@link Input.ErrorRoute}; from {@code "Start"} or
         * nobody a {@link Input.Task}; else a {@link Input.Message}.
         */
        public Builder input(Object value) {
            input = requireNonNull(value, "input");
            received = null;
            return this;
        }

        /**
         * Static, so that the builder never escapes through it: C2 can then keep a builder that is built at once in
         * registers even where this method is not inlined (a session's every step builds one).
         */
        private static Input derive(
                Object value, @Nullable String from, Optional<ErrorContext> error, @Nullable String agent) {
            if (from == null && value instanceof List<?> list && list.stream().allMatch(Arrival.class::isInstance)) {
                return new Input.Joined(list.stream().map(Arrival.class::cast).toList());
            }
            if ("User".equals(from)) {
                return new Input.Answer(value instanceof String s ? s : Values.asText(value));
            }
            if (error.isPresent() && !error.get().failedAgent().equals(agent)) {
                return new Input.ErrorRoute(error.get());
            }
            if (from == null || "Start".equals(from)) {
                return new Input.Task(value);
            }
            return new Input.Message(from, value);
        }

        /** Builds the AgentRequest; fails naming the first required field that was not set. */
        public AgentRequest build() {
            requireSet(agent, "agent");
            if (received == null) {
                if (input == null) {
                    throw new IllegalStateException("AgentRequest.input is required: call input(...) before build()");
                }
                received = derive(input, from, error, agent);
            }
            if (task == null) {
                task = received.value();
            }
            return new AgentRequest(this);
        }

        private static void requireSet(@Nullable Object value, String field) {
            if (value == null) {
                throw new IllegalStateException(
                        "AgentRequest." + field + " is required: call " + field + "(...) before build()");
            }
        }
    }
}
