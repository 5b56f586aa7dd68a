package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.state.SessionSnapshot;
import java.util.Optional;
import java.util.Set;

/**
 * Several runs sharing one {@code session_id} (the MARSYS multi-session workflow): a new run whose id names a
 * finished session in storage continues it as a new leg instead of clashing with it. The new leg keeps the stored
 * context (the new run's context is merged over it, and {@code previous_result} is the stored final response), the
 * session's checkpoints and its id counters (branch, barrier and interaction ids stay unique in the session); it
 * counts as a follow-up in {@code metadata["follow_ups"]}. Steps, trace and agent memories start fresh: the new leg
 * may run another topology, and its {@code maxSteps} is its own.
 */
final class SessionContinuation {
    private static final Set<String> FINISHED = Set.of(
            RunStatus.COMPLETED.name(),
            RunStatus.FAILED.name(),
            RunStatus.TIMED_OUT.name(),
            RunStatus.CANCELLED.name());

    private SessionContinuation() {}

    /** The stored, finished session this run continues, if its context names one. */
    static Optional<SessionSnapshot> load(SessionSpec spec) {
        if (spec.stateManager().isEmpty() || !spec.context().containsKey("session_id")) {
            return Optional.empty();
        }
        Optional<SessionSnapshot> stored = spec.stateManager().get().loadSession(spec.sessionId());
        stored.ifPresent(snapshot -> {
            if (!FINISHED.contains(snapshot.status())) {
                throw new SessionException("session '" + spec.sessionId() + "' is stored with status "
                        + snapshot.status() + "; continue it with OrchestraInstance.resumeSession, respond or "
                        + "recoverSession, or start this run with another session_id");
            }
        });
        return stored;
    }

    /** Copies what a new leg keeps from the finished session into the fresh state. */
    static void carry(SessionState stored, SessionState fresh) {
        fresh.context.putAll(stored.context);
        if (!stored.finalResponses.isEmpty()) {
            fresh.context.put("previous_result", stored.finalResponses.getLast());
        }
        fresh.checkpointIds.addAll(stored.checkpointIds);
        fresh.nextBranch = stored.nextBranch;
        fresh.nextBarrier = stored.nextBarrier;
        fresh.nextInteraction = stored.nextInteraction;
        fresh.followUps = stored.followUps + 1;
        fresh.startedAt = stored.startedAt;
    }
}
