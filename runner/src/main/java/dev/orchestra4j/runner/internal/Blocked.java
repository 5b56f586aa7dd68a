package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.Issue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An issue whose agent asked the operator; its session waits in storage for the answer. */
final class Blocked {
    final Issue issue;
    final @Nullable Integer attempt;
    final String sessionPrefix;
    final String question;
    final String sessionId;
    final int turn;
    final Instant since;

    Blocked(Running r, String question, String sessionId, int turn, Instant since) {
        this(r.issue, r.attempt, r.sessionPrefix, question, sessionId, turn, since);
    }

    private Blocked(
            Issue issue,
            @Nullable Integer attempt,
            String sessionPrefix,
            String question,
            String sessionId,
            int turn,
            Instant since) {
        this.issue = issue;
        this.attempt = attempt;
        this.sessionPrefix = sessionPrefix;
        this.question = question;
        this.sessionId = sessionId;
        this.turn = turn;
        this.since = since;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issue_id", issue.id());
        m.put("issue_identifier", issue.identifier());
        m.put("attempt", attempt);
        m.put("session_prefix", sessionPrefix);
        m.put("session_id", sessionId);
        m.put("turn", turn);
        m.put("question", question);
        m.put("since", since.toString());
        return m;
    }

    static Blocked fromJson(Issue issue, Map<String, Object> m) {
        return new Blocked(
                issue,
                m.get("attempt") instanceof Number n ? n.intValue() : null,
                (String) m.get("session_prefix"),
                (String) m.get("question"),
                (String) m.get("session_id"),
                ((Number) m.get("turn")).intValue(),
                Instant.parse((String) m.get("since")));
    }
}
