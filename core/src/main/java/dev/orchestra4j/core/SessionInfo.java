package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What an {@link OrchestraInstance} knows about one of its sessions, as listed by {@code listSessions()}. */
public final class SessionInfo {

    private final String sessionId;
    private final boolean running;
    private final Optional<RunStatus> lastStatus;
    private final Instant startedAt;
    private final int pendingQuestions;

    private SessionInfo(Builder b) {
        this.sessionId = b.sessionId;
        this.running = b.running;
        this.lastStatus = b.lastStatus;
        this.startedAt = b.startedAt;
        this.pendingQuestions = b.pendingQuestions;
    }

    /** A builder with every field at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this SessionInfo's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The session id. */
    public String sessionId() {
        return sessionId;
    }

    /** Whether a leg is running right now. */
    public boolean running() {
        return running;
    }

    /** How the last leg ended, empty while the first leg runs. */
    public Optional<RunStatus> lastStatus() {
        return lastStatus;
    }

    /** When the session started. */
    public Instant startedAt() {
        return startedAt;
    }

    /** Questions waiting for {@code respond}. */
    public int pendingQuestions() {
        return pendingQuestions;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SessionInfo that)) {
            return false;
        }
        return java.util.Objects.equals(sessionId, that.sessionId)
                && running == that.running
                && java.util.Objects.equals(lastStatus, that.lastStatus)
                && java.util.Objects.equals(startedAt, that.startedAt)
                && pendingQuestions == that.pendingQuestions;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sessionId, running, lastStatus, startedAt, pendingQuestions);
    }

    @Override
    public String toString() {
        return "SessionInfo[" + "sessionId=" + sessionId + ", " + "running=" + running + ", " + "lastStatus="
                + lastStatus + ", " + "startedAt=" + startedAt + ", " + "pendingQuestions=" + pendingQuestions + "]";
    }

    /** Builds a {@link SessionInfo}; setters check their argument at once. */
    public static final class Builder {
        private @Nullable String sessionId;
        private boolean running;
        private Optional<RunStatus> lastStatus = Optional.empty();
        private @Nullable Instant startedAt;
        private int pendingQuestions;

        private Builder() {}

        private Builder(SessionInfo v) {
            sessionId = v.sessionId;
            running = v.running;
            lastStatus = v.lastStatus;
            startedAt = v.startedAt;
            pendingQuestions = v.pendingQuestions;
        }

        public Builder sessionId(String value) {
            sessionId = requireNonNull(value, "sessionId");
            return this;
        }

        public Builder running(boolean value) {
            running = value;
            return this;
        }

        public Builder lastStatus(Optional<RunStatus> value) {
            lastStatus = requireNonNull(value, "lastStatus");
            return this;
        }

        public Builder startedAt(Instant value) {
            startedAt = requireNonNull(value, "startedAt");
            return this;
        }

        public Builder pendingQuestions(int value) {
            pendingQuestions = value;
            return this;
        }

        /** Builds the SessionInfo; fails naming the first required field that was not set. */
        public SessionInfo build() {
            requireSet(sessionId, "sessionId");
            requireSet(startedAt, "startedAt");
            return new SessionInfo(this);
        }

        private static void requireSet(@Nullable Object value, String field) {
            if (value == null) {
                throw new IllegalStateException(
                        "SessionInfo." + field + " is required: call " + field + "(...) before build()");
            }
        }
    }
}
