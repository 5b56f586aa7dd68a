package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.Issue;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A running worker's entry in the orchestrator's table; owned by the actor. */
final class Running {
    Issue issue;
    final @Nullable Integer attempt;
    final String sessionPrefix;
    final Instant startedAt;
    final long generation;
    final boolean resumed;
    int turn;

    @Nullable
    String sessionId;

    @Nullable
    Instant lastEventAt;

    @Nullable
    String lastEvent;

    @Nullable
    String lastMessage;

    long inputTokens;
    long outputTokens;
    Thread thread = Thread.currentThread();

    Running(
            Issue issue,
            @Nullable Integer attempt,
            String sessionPrefix,
            int turn,
            Instant startedAt,
            long generation,
            boolean resumed) {
        this.issue = issue;
        this.attempt = attempt;
        this.sessionPrefix = sessionPrefix;
        this.turn = turn;
        this.startedAt = startedAt;
        this.generation = generation;
        this.resumed = resumed;
    }
}
