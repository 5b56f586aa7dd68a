package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.internal.engine.StoredStates;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.StateManager;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What storage says about a session, read without running it, its agents or its topology: any process sharing the
 * {@link StateManager} can build one (a cluster client, a dashboard). A running session's journal is applied, so its
 * questions and results are those of its last committed step.
 *
 * @param sessionId the session
 * @param status the stored status: a {@link RunStatus} name, {@code RUNNING} while a leg runs (or its process died),
 *     or {@code CREATED} for a session stored by {@link OrchestraInstance#createSession} and not started yet
 * @param pendingQuestions the questions waiting for an answer, oldest first
 * @param finalResponses what reached End so far
 * @param updatedAt when the snapshot was last written
 * @param version the snapshot's storage version
 * @param journalSequence the last journal sequence applied (the fencing token of the session's owner)
 */
public record StoredSession(
        String sessionId,
        String status,
        List<UserQuestion> pendingQuestions,
        List<Object> finalResponses,
        Instant updatedAt,
        long version,
        long journalSequence) {

    /** The stored status of a session created but never started. */
    public static final String CREATED = "CREATED";

    /** The stored status of a session a leg is running (or whose process died running it). */
    public static final String RUNNING = "RUNNING";

    public StoredSession {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(status, "status");
        pendingQuestions = List.copyOf(pendingQuestions);
        finalResponses = List.copyOf(finalResponses);
        requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * Reads the session from {@code manager}; empty when it is not stored.
     *
     * @throws dev.orchestra4j.state.StateException if storage fails or the stored state is corrupt
     */
    public static Optional<StoredSession> load(StateManager manager, String sessionId) {
        requireNonNull(manager, "manager");
        requireNonNull(sessionId, "sessionId");
        return StoredStates.load(manager, sessionId);
    }

    /** The status as a {@link RunStatus}; empty for {@code RUNNING} and {@code CREATED}. */
    public Optional<RunStatus> runStatus() {
        return Arrays.stream(RunStatus.values())
                .filter(s -> s.name().equals(status))
                .findFirst();
    }

    /** Whether the session has ended for good: COMPLETED, FAILED, TIMED_OUT or CANCELLED. */
    public boolean isTerminal() {
        return runStatus().map(s -> !s.isSuspended()).orElse(false);
    }
}
