package dev.orchestra4j.core.user;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A question waiting for the user.
 *
 * @param interactionId unique id; answer with it
 * @param sessionId the session asking
 * @param branchId the branch suspended on this question
 * @param agent the agent that asked (the answer resumes it)
 * @param question the text to show
 * @param kind a plain question, an error decision (Retry / Skip / Abort) or a follow-up prompt
 * @param options the accepted answers, empty when free text is fine
 * @param askedAt when it was asked
 */
public record UserQuestion(
        String interactionId,
        String sessionId,
        String branchId,
        String agent,
        String question,
        Kind kind,
        List<String> options,
        Instant askedAt) {

    public UserQuestion {
        requireNonNull(interactionId, "interactionId");
        requireNonNull(sessionId, "sessionId");
        requireNonNull(branchId, "branchId");
        requireNonNull(agent, "agent");
        requireNonNull(question, "question");
        requireNonNull(kind, "kind");
        options = List.copyOf(options);
        requireNonNull(askedAt, "askedAt");
    }

    /** What the question is for. */
    public enum Kind {
        QUESTION,
        ERROR_DECISION,
        FOLLOW_UP
    }
}
