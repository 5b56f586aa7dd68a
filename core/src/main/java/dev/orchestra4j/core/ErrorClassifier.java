package dev.orchestra4j.core;

import java.time.Duration;
import java.util.Optional;

/**
 * Maps a step failure to an {@link ErrorCategory} and, for rate limits, to the wait the provider asked for. The
 * default understands LangChain4j's exception family, HTTP status codes in messages, timeouts and interrupts.
 */
public interface ErrorClassifier {

    ErrorCategory classify(Throwable error);

    /** The delay the provider asked for ({@code Retry-After}), if the error carries one. */
    default Optional<Duration> retryAfter(Throwable error) {
        return Optional.empty();
    }

    static ErrorClassifier defaults() {
        return dev.orchestra4j.core.internal.error.DefaultErrorClassifier.INSTANCE;
    }
}
