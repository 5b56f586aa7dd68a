package dev.orchestra4j.core.internal.engine;

import org.jspecify.annotations.Nullable;

/** A message to a session's coordinator. Everything that changes session state arrives as one of these. */
sealed interface Signal {

    /** An agent step (run on its own virtual thread) ended. */
    record StepDone(StepOutcome outcome) implements Signal {}

    /** A step on its own thread overran its deadline and was interrupted. */
    record StepTimedOut(String branchId, long token) implements Signal {}

    /** A session deadline (branch, barrier, run, retry, question) is due. */
    record Wake() implements Signal {}

    /**
     * A user channel answered (or failed to answer) a question. {@code taken}, when set, learns whether the session
     * took the answer: false when its question was answered (or withdrawn) by then.
     */
    record UserAnswer(
            String interactionId,
            @Nullable String answer,
            @Nullable Throwable error,
            java.util.concurrent.@Nullable CompletableFuture<Boolean> taken)
            implements Signal {

        UserAnswer(String interactionId, @Nullable String answer, @Nullable Throwable error) {
            this(interactionId, answer, error, null);
        }
    }

    /** Quiesce at the next step boundary and suspend. */
    record Pause(String reason) implements Signal {}

    /** Stop now: interrupt running agents, abandon every branch. */
    record Cancel(String reason, java.util.concurrent.@Nullable CompletableFuture<Boolean> taken) implements Signal {

        Cancel(String reason) {
            this(reason, null);
        }
    }

    /** Save now and take a named checkpoint of the saved state; completes with the checkpoint id. */
    record Checkpoint(String name, java.util.concurrent.CompletableFuture<String> id) implements Signal {}

    /** Tells whoever waits on {@code signal} (an answer's respond(), a cancelSession()) whether the leg took it. */
    static void acknowledge(Signal signal, boolean taken) {
        java.util.concurrent.CompletableFuture<Boolean> waiting =
                switch (signal) {
                    case UserAnswer answer -> answer.taken();
                    case Cancel cancel -> cancel.taken();
                    default -> null;
                };
        if (waiting != null) {
            waiting.complete(taken);
        }
    }
}
