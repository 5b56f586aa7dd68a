package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an agent decided at the end of its step (SPEC §4.2). Create one with the static factories.
 *
 * <ul>
 *   <li>{@link #invoke} hands the branch off to a successor (or to {@code End} / {@code User});
 *   <li>{@link #parallel} forks one child branch per invocation and waits for all of them;
 *   <li>{@link #finish} delivers a value to whoever waits for this branch (the parent of a fork, or the run);
 *   <li>{@link #askUser} suspends the branch until the user answers;
 *   <li>{@link #reply} lets the topology's edges (and their {@code [when X]} conditions) decide;
 *   <li>{@link #fail} fails the step without retry.
 * </ul>
 */
public sealed interface AgentResponse {

    static Invoke invoke(String agent, Object request) {
        return new Invoke(agent, request);
    }

    static Parallel parallel(Invocation... invocations) {
        return new Parallel(List.of(invocations));
    }

    static Parallel parallel(List<Invocation> invocations) {
        return new Parallel(invocations);
    }

    /** Forks one branch per map entry, in the map's iteration order. */
    static Parallel parallel(Map<String, ?> requests) {
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

    /** Hand-off: the branch moves to {@code agent} with {@code request} as its input. */
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
            return new Reply(content, Optional.of(label));
        }
    }

    /** The step failed for {@code reason}. Only retryable categories are retried. */
    record Fail(String reason, ErrorCategory category) implements AgentResponse {
        public Fail {
            requireNonNull(reason, "reason");
            requireNonNull(category, "category");
        }
    }
}
