package dev.orchestra4j.core.user;

import java.time.Instant;
import java.util.List;

/** Builds questions for the channel tests. */
final class Questions {

    static final Instant ASKED_AT = Instant.parse("2026-01-01T00:00:00Z");

    private Questions() {}

    static UserQuestion question(String id, String agent, String text) {
        return new UserQuestion(
                id, "session-1", "branch-" + id, agent, text, UserQuestion.Kind.QUESTION, List.of(), ASKED_AT);
    }

    static UserQuestion errorDecision(String id, String agent, String text) {
        return new UserQuestion(
                id, "session-1", "branch-" + id, agent, text, UserQuestion.Kind.ERROR_DECISION, List.of(), ASKED_AT);
    }

    static UserQuestion choice(String id, String agent, String text, List<String> options) {
        return new UserQuestion(
                id, "session-1", "branch-" + id, agent, text, UserQuestion.Kind.QUESTION, options, ASKED_AT);
    }
}
