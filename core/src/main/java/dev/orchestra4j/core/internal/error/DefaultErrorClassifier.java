package dev.orchestra4j.core.internal.error;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorClassifier;
import java.time.Duration;
import java.util.Optional;

/** Placeholder classification until the error-handling work lands: everything is UNKNOWN and not retried. */
public enum DefaultErrorClassifier implements ErrorClassifier {
    INSTANCE;

    @Override
    public ErrorCategory classify(Throwable error) {
        return ErrorCategory.UNKNOWN;
    }

    @Override
    public Optional<Duration> retryAfter(Throwable error) {
        return Optional.empty();
    }
}
