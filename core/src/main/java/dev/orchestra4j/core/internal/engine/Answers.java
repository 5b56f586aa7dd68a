package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.SessionException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The caller's side of answering (respond, offerAnswer): which pending question an answer is for, read from the
 * caller's thread, and what the caller gets back. The questions are read under their lock, since the driving thread
 * may be changing them (D12); a running leg's follow-up prompt (SPEC §4.7) is answered like a question, after them.
 */
final class Answers {

    private Answers() {}

    /**
     * The pending question {@code interactionId} names, or the oldest when it is null; {@code running}, the leg running
     * here (or null), adds its follow-up prompt.
     *
     * @throws SessionException naming the session (and the question) when no such question is pending
     */
    static String questionId(
            SessionState st, String sessionId, @Nullable String interactionId, @Nullable Coordinator running) {
        String followUp = followUp(running);
        synchronized (st.questions) {
            if (interactionId == null) {
                return st.questions.keySet().stream()
                        .findFirst()
                        .or(() -> Optional.ofNullable(followUp))
                        .orElseThrow(() ->
                                new SessionException("session '" + sessionId + "' has no pending question to answer"));
            }
            if (!st.questions.containsKey(interactionId) && !interactionId.equals(followUp)) {
                throw new SessionException(
                        "session '" + sessionId + "' has no pending question '" + interactionId + "'");
            }
            return interactionId;
        }
    }

    /** Whether {@code interactionId} is a pending question, or the follow-up prompt of {@code running}. */
    static boolean isPending(SessionState st, String interactionId, Coordinator running) {
        if (interactionId.equals(followUp(running))) {
            return true;
        }
        synchronized (st.questions) {
            return st.questions.containsKey(interactionId);
        }
    }

    private static @Nullable String followUp(@Nullable Coordinator running) {
        return running == null ? null : running.machine.lifecycle.followUps().pendingId();
    }

    /**
     * What a respond() whose answer was offered to the running leg gets: that leg's result (a copy: this caller giving
     * up must not cancel the leg's own caller), or a {@link SessionException} when the leg found {@code question}
     * answered already (another respond took it first: one answer per question).
     */
    static CompletableFuture<OrchestraResult> unlessAnsweredBefore(
            CompletableFuture<Boolean> taken,
            CompletableFuture<OrchestraResult> leg,
            String sessionId,
            String question) {
        CompletableFuture<OrchestraResult> out = new CompletableFuture<>();
        taken.thenAccept(took -> {
            if (!took) {
                out.completeExceptionally(new SessionException("session '" + sessionId
                        + "' did not take this answer to question '" + question + "': another answer was taken"
                        + " first, or the session stopped asking"));
            }
        });
        leg.whenComplete((result, error) -> {
            if (error != null) {
                out.completeExceptionally(error);
            } else {
                out.complete(result);
            }
        });
        return out;
    }
}
