package dev.orchestra4j.core.user;

import java.util.concurrent.CompletionStage;

/**
 * How questions reach a person and answers come back. {@link #ask} must not block: the asking branch is suspended
 * without holding a thread, and the returned stage completes when the answer arrives. Several questions may be
 * pending at once (from parallel branches); each answer goes to its own question.
 */
public interface UserChannel {

    /** Shows {@code question}; completes with the answer. */
    CompletionStage<String> ask(UserQuestion question);

    /** The question is no longer wanted (timed out, session cancelled). Default: nothing. */
    default void cancel(String interactionId) {}
}
