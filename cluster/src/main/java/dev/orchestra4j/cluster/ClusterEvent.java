package dev.orchestra4j.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What a cluster node reports to its {@link ClusterListener}s: a closed set, consumed with an exhaustive switch. */
public sealed interface ClusterEvent {

    /** The session this event is about. */
    String sessionId();

    /**
     * A worker picked a session's run row and starts a leg. {@code reason} is {@code START}, {@code RECOVER} (the
     * session was left RUNNING by a worker that died or handed it over), {@code ANSWER}, {@code RESUME} or {@code
     * CANCEL}; {@code fencingToken} is the journal sequence the leg's claim fences (a stale owner's next commit, made
     * at a lower sequence, is rejected).
     */
    record LegStarted(String sessionId, String workerId, String reason, long fencingToken) implements ClusterEvent {
        public LegStarted {
            requireNonNull(sessionId, "sessionId");
            requireNonNull(workerId, "workerId");
            requireNonNull(reason, "reason");
        }
    }

    /**
     * A worker gave a session's run row up: {@code status} is the stored status then ({@code COMPLETED}, {@code
     * WAITING_FOR_USER}, …), or {@code HANDED_OVER} when a draining worker left the session for another one.
     */
    record LegReleased(String sessionId, String workerId, String status) implements ClusterEvent {
        public LegReleased {
            requireNonNull(sessionId, "sessionId");
            requireNonNull(workerId, "workerId");
            requireNonNull(status, "status");
        }
    }

    /**
     * A worker found that {@code deadWorker} stopped heartbeating a session's run row for {@code silentFor}, and
     * revived the row so that any worker continues the session.
     */
    record SessionRecovered(String sessionId, String deadWorker, String detectedBy, Duration silentFor)
            implements ClusterEvent {
        public SessionRecovered {
            requireNonNull(sessionId, "sessionId");
            requireNonNull(deadWorker, "deadWorker");
            requireNonNull(detectedBy, "detectedBy");
            requireNonNull(silentFor, "silentFor");
        }
    }

    /**
     * This worker's leg learned that another worker owns the session now (its lease lapsed, or its commit was fenced
     * out); it stopped without writing anything.
     */
    record OwnershipLost(String sessionId, String workerId) implements ClusterEvent {
        public OwnershipLost {
            requireNonNull(sessionId, "sessionId");
            requireNonNull(workerId, "workerId");
        }
    }

    /**
     * An inbox row reached the session's leg on {@code workerId}: {@code kind} is {@code ANSWER}, {@code PAUSE},
     * {@code RESUME} or {@code CANCEL}; {@code interactionId} names the answered question.
     */
    record InboxApplied(
            String sessionId,
            String workerId,
            String kind,
            @Nullable String interactionId) implements ClusterEvent {
        public InboxApplied {
            requireNonNull(sessionId, "sessionId");
            requireNonNull(workerId, "workerId");
            requireNonNull(kind, "kind");
        }
    }
}
