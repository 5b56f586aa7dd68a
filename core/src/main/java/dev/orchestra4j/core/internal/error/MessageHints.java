package dev.orchestra4j.core.internal.error;

import dev.orchestra4j.core.ErrorCategory;
import java.util.List;
import java.util.Optional;

/**
 * Phrases providers put in error bodies that say more than the status code: an exhausted quota arrives as a 429 (and
 * must not be retried), an oversized prompt as a 400 or a 429.
 */
final class MessageHints {

    private static final List<String> QUOTA = List.of(
            "insufficient_quota",
            "exceeded your current quota",
            "insufficient credits",
            "insufficient_credits",
            "credit balance is too low");

    private static final List<String> TOO_LARGE = List.of(
            "context_length_exceeded",
            "maximum context length",
            "request too large",
            "request_too_large",
            "prompt is too long",
            "payload too large");

    private MessageHints() {}

    /** QUOTA or TOO_LARGE when one of the lower-cased messages carries a telling phrase. */
    static Optional<ErrorCategory> category(List<String> lowerCaseMessages) {
        if (anyContains(lowerCaseMessages, QUOTA)) {
            return Optional.of(ErrorCategory.QUOTA);
        }
        if (anyContains(lowerCaseMessages, TOO_LARGE)) {
            return Optional.of(ErrorCategory.TOO_LARGE);
        }
        return Optional.empty();
    }

    private static boolean anyContains(List<String> messages, List<String> phrases) {
        for (String message : messages) {
            for (String phrase : phrases) {
                if (message.contains(phrase)) {
                    return true;
                }
            }
        }
        return false;
    }
}
