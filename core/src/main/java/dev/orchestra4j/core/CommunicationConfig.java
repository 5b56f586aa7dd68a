package dev.orchestra4j.core;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.user.UserChannel;
import java.util.Optional;

/**
 * How a session talks to the user (SPEC §4.7): where questions go, and whether a question suspends the session
 * durably (checkpointed, status {@link RunStatus#WAITING_FOR_USER}, answered later with {@code respond}) or waits on a
 * live channel.
 *
 * @param channel where questions go; empty means nobody is listening live
 * @param alwaysSuspend when true (or when there is no channel) a question suspends the session: it is checkpointed and
 *     {@code execute} returns {@link RunStatus#WAITING_FOR_USER}; {@code respond(sessionId, answer)} continues it
 */
public record CommunicationConfig(Optional<UserChannel> channel, boolean alwaysSuspend) {

    public CommunicationConfig {
        requireNonNull(channel, "channel");
    }

    /** No live channel: questions suspend the session (it waits for {@code respond}). */
    public static CommunicationConfig none() {
        return new CommunicationConfig(Optional.empty(), true);
    }

    /**
     * Every question suspends and checkpoints the session: {@code execute} returns {@link RunStatus#WAITING_FOR_USER}
     * and {@code respond(sessionId, answer)} continues it later, in any process. Without a channel this is what
     * {@link #none()} does too; {@link #durable(UserChannel)} keeps a channel for follow-ups.
     */
    public static CommunicationConfig durable() {
        return new CommunicationConfig(Optional.empty(), true);
    }

    /**
     * Questions suspend and checkpoint the session (as {@link #durable()}) even though {@code channel} exists; the
     * channel is still offered follow-ups after a successful run. For servers whose user may answer hours later.
     */
    public static CommunicationConfig durable(UserChannel channel) {
        return new CommunicationConfig(Optional.of(channel), true);
    }

    /** Questions go to {@code channel} and the branch waits (without a thread) for the answer. */
    public static CommunicationConfig of(UserChannel channel) {
        return new CommunicationConfig(Optional.of(channel), false);
    }

    /** Whether a question suspends the whole session instead of waiting on a live channel. */
    public boolean suspendsOnQuestion() {
        return alwaysSuspend || channel.isEmpty();
    }
}
