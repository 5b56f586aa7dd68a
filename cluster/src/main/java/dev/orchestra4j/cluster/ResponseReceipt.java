package dev.orchestra4j.cluster;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/**
 * What {@link OrchestraCluster#respond} returns at once: whether the answer was taken, and the session's next stop.
 *
 * @param interactionId the question answered
 * @param status {@link Status#ACCEPTED} the first time, {@link Status#DUPLICATE} when this question was answered
 *     before (the earlier answer stands; this one is dropped)
 * @param nextStop completes when the session has taken the answer and stopped again (waiting, paused or ended)
 */
public record ResponseReceipt(String interactionId, Status status, CompletableFuture<SessionOutcome> nextStop) {

    /** Whether an answer was taken. */
    public enum Status {
        ACCEPTED,
        DUPLICATE
    }

    public ResponseReceipt {
        requireNonNull(interactionId, "interactionId");
        requireNonNull(status, "status");
        requireNonNull(nextStop, "nextStop");
    }

    public boolean isDuplicate() {
        return status == Status.DUPLICATE;
    }
}
