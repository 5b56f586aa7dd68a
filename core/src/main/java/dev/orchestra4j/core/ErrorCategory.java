package dev.orchestra4j.core;

/** What kind of failure a step had; decides whether it is retried (SPEC §4.6). */
public enum ErrorCategory {
    RATE_LIMIT(true),
    TIMEOUT(true),
    NETWORK(true),
    UNAVAILABLE(true),
    AUTHENTICATION(false),
    QUOTA(false),
    INVALID_REQUEST(false),
    TOO_LARGE(false),
    VALIDATION(false),
    TOOL(false),
    AGENT(false),
    UNKNOWN(false);

    private final boolean retryable;

    ErrorCategory(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether a failure of this kind is retried with backoff before it is routed. */
    public boolean isRetryable() {
        return retryable;
    }
}
