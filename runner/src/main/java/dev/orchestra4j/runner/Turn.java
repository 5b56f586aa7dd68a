package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One turn of an attempt, as the {@link AgentRunner} sees it.
 *
 * @param issue the issue as last fetched
 * @param attempt null on a first run, 1… on a retry or continuation
 * @param number the turn within this attempt, from 1
 * @param maxTurns {@code agent.max_turns}
 * @param workspace the issue's workspace, the agent's working directory
 * @param sessionId the durable session id of this turn
 * @param start how the turn begins: a fresh prompt, recovery of a session a crash interrupted, or an operator answer
 * @param activity where the agent reports events and token usage
 */
public record Turn(
        Issue issue,
        @Nullable Integer attempt,
        int number,
        int maxTurns,
        Path workspace,
        String sessionId,
        Start start,
        Activity activity) {

    public Turn {
        requireNonNull(issue, "issue");
        requireNonNull(workspace, "workspace");
        requireNonNull(sessionId, "sessionId");
        requireNonNull(start, "start");
        requireNonNull(activity, "activity");
    }

    /** How a turn begins. */
    public sealed interface Start {

        /** A new session with this prompt (the full prompt on turn 1, continuation guidance later). */
        record Fresh(String prompt) implements Start {
            public Fresh {
                requireNonNull(prompt, "prompt");
            }
        }

        /** Continue the session a crashed runner left behind, from its last saved step. */
        record Recover() implements Start {}

        /** Continue a session that waits for the operator, with this answer. */
        record Answer(String answer) implements Start {
            public Answer {
                requireNonNull(answer, "answer");
            }
        }
    }

    /** What an agent reports while it works; every call counts as activity for stall detection. */
    public interface Activity {

        /** An agent event, e.g. {@code step_completed} with a short message. */
        void event(String event, String message);

        /** Absolute token totals of this session so far. */
        void tokens(long input, long output);

        /** The agent is alive but busy (a long command): resets stall detection without an event entry. */
        default void heartbeat() {}
    }
}
