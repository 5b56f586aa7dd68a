package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * What an agent decided at the end of its step (SPEC §4.2). Create one with the static factories.
 *
 * <ul>
 *   <li>{@link #handOff} hands the branch off to a successor (or to {@code End} / {@code User}): the branch moves on
 *       and this agent does <em>not</em> get control back;
 *   <li>{@link #call} is call-and-return: the callee runs on a child branch and this agent runs again with the
 *       callee's {@code finish} value as its input (an {@link Input.Joined} of one arrival);
 *   <li>{@link #parallel} forks one child branch per invocation and waits for all of them;
 *   <li>{@link #finish} delivers a value to whoever waits for this branch (the parent of a fork, or the run);
 *   <li>{@link #askUser} suspends the branch until the user answers;
 *   <li>{@link #reply} lets the topology's edges (and their {@code [when X]} conditions) decide;
 *   <li>{@link #fail} fails the step (retried only when its category is retryable).
 * </ul>
 */
public sealed interface AgentResponse {

    /**
     * Hand-off: the branch moves to {@code agent} with {@code request} as its input, and this agent does not get
     * control back (use {@link #call} for call-and-return). To {@code End} it delivers {@code request} as the answer;
     * to {@code User} it asks the user.
     */
    static Invoke handOff(String agent, Object request) {
        return new Invoke(agent, request);
    }

    /**
     * Same as {@link #handOff}: the name misled readers into expecting call-and-return.
     *
     * @deprecated use {@link #handOff} (hand-off) or {@link #call} (call-and-return)
     */
    @Deprecated
    static Invoke invoke(String agent, Object request) {
        return handOff(agent, request);
    }

    /**
     * Call-and-return: runs {@code agent} on a child branch and, when it finishes, runs this agent again with the
     * callee's answer as an {@link Input.Joined} of one {@link Arrival}. A fork of one.
     */
    static Parallel call(String agent, Object request) {
        return new Parallel(List.of(new Invocation(agent, request)));
    }

    static Parallel parallel(Invocation... invocations) {
        return new Parallel(List.of(invocations));
    }

    static Parallel parallel(List<Invocation> invocations) {
        return new Parallel(invocations);
    }

    /**
     * Forks one branch per map entry, in the map's encounter order, which becomes the order of the aggregate, the
     * trace and the LLM prompt. The map must have a defined order: a {@link SequencedMap} ({@code LinkedHashMap},
     * {@code TreeMap}) or a map of one entry; {@code Map.of(...)} with several entries iterates in an order that
     * changes from JVM to JVM and is rejected.
     *
     * @throws IllegalArgumentException when {@code requests} has several entries and no defined order
     */
    static Parallel parallel(Map<String, ?> requests) {
        if (requests.size() > 1 && !(requests instanceof SequencedMap<?, ?>)) {
            throw new IllegalArgumentException("parallel(Map) needs a map with a defined order (LinkedHashMap,"
                    + " TreeMap or another SequencedMap), got a "
                    + requests.getClass().getName()
                    + " whose order is unspecified; or pass Invocation.of(...) items");
        }
        List<Invocation> invocations = new ArrayList<>(requests.size());
        requests.forEach((agent, request) -> invocations.add(new Invocation(agent, request)));
        return new Parallel(invocations);
    }

    static Finish finish(Object answer) {
        return new Finish(answer);
    }

    static AskUser askUser(String question) {
        return new AskUser(question);
    }

    static Reply reply(Object content) {
        return new Reply(content, Optional.empty());
    }

    static Fail fail(String reason) {
        return new Fail(reason, ErrorCategory.AGENT);
    }

    static Fail fail(String reason, ErrorCategory category) {
        return new Fail(reason, category);
    }

    /** Hand-off (see {@link AgentResponse#handOff}): the branch moves to {@code agent} with {@code request}. */
    record Invoke(String agent, Object request) implements AgentResponse {
        public Invoke {
            requireNonNull(agent, "agent");
            requireNonNull(request, "request");
        }
    }

    /** Fork: one child branch per invocation; the caller resumes with the aggregate. */
    record Parallel(List<Invocation> invocations) implements AgentResponse {
        public Parallel {
            invocations = List.copyOf(invocations);
            if (invocations.isEmpty()) {
                throw new IllegalArgumentException("parallel needs at least one invocation");
            }
        }
    }

    /**
     * Delivers {@code answer} to this branch's delivery target. {@code metadata} (set with
     * {@link #withMetadata(String, Object)}) is merged into the run's {@link OrchestraResult#metadata()}, so an agent
     * can flag its result, e.g. {@code finish(report).withMetadata("needs_review", true)}; later values win.
     */
    record Finish(Object answer, Map<String, Object> metadata) implements AgentResponse {
        public Finish {
            requireNonNull(answer, "answer");
            metadata = Map.copyOf(requireNonNull(metadata, "metadata"));
        }

        /** A finish without metadata. */
        public Finish(Object answer) {
            this(answer, Map.of());
        }

        /**
         * The same finish with one more result-metadata entry. Keys the engine writes itself
         * ({@code topology_digest}, {@code follow_ups}, {@code branches}) are reserved.
         */
        public Finish withMetadata(String key, Object value) {
            requireNonNull(key, "key");
            requireNonNull(value, "value");
            if (RESERVED_METADATA.contains(key)) {
                throw new IllegalArgumentException("result metadata key '" + key + "' is reserved");
            }
            Map<String, Object> copy = new java.util.LinkedHashMap<>(metadata);
            copy.put(key, value);
            return new Finish(answer, copy);
        }
    }

    /** Result-metadata keys the engine writes; an agent may not set them. */
    java.util.Set<String> RESERVED_METADATA = java.util.Set.of("topology_digest", "follow_ups", "branches");

    /** Suspends the branch until the user answers {@code question}; the answer resumes this agent. */
    record AskUser(String question) implements AgentResponse {
        public AskUser {
            requireNonNull(question, "question");
            if (question.isBlank()) {
                throw new IllegalArgumentException("question must not be blank");
            }
        }
    }

    /** No explicit coordination: the edges out of this node, filtered by their conditions, decide. */
    record Reply(Object content, Optional<String> label) implements AgentResponse {
        public Reply {
            requireNonNull(content, "content");
            requireNonNull(label, "label");
        }

        /** The same reply with a label that {@code [when label]} edge conditions match. */
        public Reply label(String label) {
            return new Reply(content, Optional.of(requireNonNull(label, "label")));
        }
    }

    /** The step failed for {@code reason}. Only retryable categories ({@code RATE_LIMIT}, …) are retried. */
    record Fail(String reason, ErrorCategory category) implements AgentResponse {
        public Fail {
            requireNonNull(reason, "reason");
            requireNonNull(category, "category");
        }
    }
}
