package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What an {@link OrchestraInstance} knows about one of its sessions.
 *
 * @param sessionId the id
 * @param running whether a leg is running right now
 * @param lastStatus how the last leg ended, empty while the first leg runs
 * @param startedAt when the session started
 * @param pendingQuestions questions waiting for {@code respond}
 */
public record SessionInfo(
        String sessionId, boolean running, Optional<RunStatus> lastStatus, Instant startedAt, int pendingQuestions) {

    public SessionInfo {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(lastStatus, "lastStatus");
        requireNonNull(startedAt, "startedAt");
    }
}
