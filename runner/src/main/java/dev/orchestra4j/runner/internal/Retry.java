package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.Issue;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A queued retry; owned by the actor. */
final class Retry {
    final Issue issue;
    final int attempt;
    final Instant dueAt;
    final @Nullable String error;
    final String kind;
    final long token;
    Scheduler.Cancellable timer = () -> {};

    Retry(Issue issue, int attempt, Instant dueAt, @Nullable String error, String kind, long token) {
        this.issue = issue;
        this.attempt = attempt;
        this.dueAt = dueAt;
        this.error = error;
        this.kind = kind;
        this.token = token;
    }
}
