package dev.orchestra4j.cluster;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a session stands, read from storage only: any node can build it, also one that runs no session.
 *
 * @param sessionId the session
 * @param status the stored status: a {@link RunStatus} name, {@code RUNNING} while a leg runs it, or {@code CREATED}
 *     before its first leg
 * @param pendingQuestions the questions waiting for an answer, oldest first
 * @param finalResponses what reached End (all of it once the session completed)
 * @param updatedAt when it was last written
 * @param version its storage version
 */
public record SessionOutcome(
        String sessionId,
        String status,
        List<UserQuestion> pendingQuestions,
        List<Object> finalResponses,
        Instant updatedAt,
        long version) {

    public SessionOutcome {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(status, "status");
        pendingQuestions = List.copyOf(pendingQuestions);
        finalResponses = List.copyOf(finalResponses);
        requireNonNull(updatedAt, "updatedAt");
    }

    static SessionOutcome of(StoredSession stored) {
        return new SessionOutcome(
                stored.sessionId(),
                stored.status(),
                stored.pendingQuestions(),
                stored.finalResponses(),
                stored.updatedAt(),
                stored.version());
    }

    /** The status as a {@link RunStatus}; empty while it is RUNNING or CREATED. */
    public Optional<RunStatus> runStatus() {
        for (RunStatus s : RunStatus.values()) {
            if (s.name().equals(status)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Whether the session ended for good (COMPLETED, FAILED, TIMED_OUT or CANCELLED). */
    public boolean isTerminal() {
        return runStatus().map(s -> !s.isSuspended()).orElse(false);
    }

    /** The last final response, if any. */
    public Optional<Object> finalResponse() {
        return finalResponses.isEmpty() ? Optional.empty() : Optional.of(finalResponses.getLast());
    }
}
