package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Why an agent is running and what it received, as a closed set of kinds that an exhaustive {@code switch} tells
 * apart (SPEC §3): the run's task on a first visit, a message handed over by another agent, the arrivals of a fork or
 * rendezvous that fired, the user's answer, or a failure routed over an {@code [on error]} edge.
 *
 * <pre>{@code
 * switch (request.received()) {
 *     case Input.Task task -> plan(task.value());
 *     case Input.Message message -> revise(message.from(), message.value());
 *     case Input.Joined joined -> merge(joined.arrivals());
 *     case Input.Answer answer -> useAnswer(answer.text());
 *     case Input.ErrorRoute route -> recover(route.error());
 * }
 * }</pre>
 *
 * <p>A retried attempt receives the same kind as the first one; {@link AgentRequest#error()} says why it is retried.
 */
public sealed interface Input {

    /** The raw value, as {@link AgentRequest#input()} returns it. */
    Object value();

    /** The run's task (or a follow-up's text) on the first visit of an entry agent, sent from {@code Start}. */
    record Task(Object value) implements Input {
        public Task {
            requireNonNull(value, "value");
        }
    }

    /** What another agent handed over to this one, by {@code handOff}, a routed {@code reply} or a fork. */
    record Message(String from, Object value) implements Input {
        public Message {
            requireNonNull(from, "from");
            requireNonNull(value, "value");
        }
    }

    /**
     * The arrivals of a fork or rendezvous that fired, one per source, in invocation order (then arrival order). Empty
     * when every source failed and the convergence policy proceeded anyway.
     */
    record Joined(List<Arrival> arrivals) implements Input {
        public Joined {
            arrivals = List.copyOf(arrivals);
        }

        /** The arrivals, as a {@code List<Arrival>}. */
        @Override
        public Object value() {
            return arrivals;
        }
    }

    /** The user's answer to this agent's question. */
    record Answer(String text) implements Input {
        public Answer {
            requireNonNull(text, "text");
        }

        @Override
        public Object value() {
            return text;
        }
    }

    /** A failure of another agent, routed to this handler over an {@code [on error]} edge. */
    record ErrorRoute(ErrorContext error) implements Input {
        public ErrorRoute {
            requireNonNull(error, "error");
        }

        /** What the failed agent was given. */
        @Override
        public Object value() {
            return error.input();
        }
    }
}
