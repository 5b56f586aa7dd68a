package dev.orchestra4j.core.event;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.RunStatus;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened in a session. Every event names its session, when it happened and the branch it concerns
 * ({@code null} for session-level events). Events carry no secrets; only {@link UserQuestionAsked} carries user-facing
 * text.
 */
public sealed interface OrchestraEvent {

    String sessionId();

    Instant timestamp();

    @Nullable
    String branchId();

    /** A session started, or a follow-up round of it began. */
    record RunStarted(
            String sessionId, Instant timestamp, @Nullable String branchId, String topologyDigest, int nodes)
            implements OrchestraEvent {}

    /** An agent call is about to start. */
    record StepStarted(
            String sessionId, Instant timestamp, @Nullable String branchId, String agent, int step, int attempt)
            implements OrchestraEvent {}

    /** An agent call returned a decision ({@code action} is invoke, parallel, finish, ask_user, reply). */
    record StepCompleted(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String agent,
            int step,
            int attempt,
            String action,
            Duration duration,
            long inputTokens,
            long outputTokens,
            int toolCalls)
            implements OrchestraEvent {}

    /** An agent call failed ({@code willRetry} tells whether another attempt follows). */
    record StepFailed(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String agent,
            int step,
            int attempt,
            ErrorCategory category,
            String message,
            Duration duration,
            boolean willRetry)
            implements OrchestraEvent {}

    /** A failed step will be re-run after {@code delay}. */
    record RetryScheduled(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String agent,
            int nextAttempt,
            ErrorCategory category,
            Duration delay)
            implements OrchestraEvent {}

    /**
     * The engine gave up on a running agent call (its step or branch timed out, or the run ended or was cancelled)
     * while the call's thread was still inside the agent: the session moved on without it and whatever it returns
     * later is discarded. An agent that ignores interrupts keeps running as a zombie until it returns by itself, so a
     * steady stream of these names an agent that should honour interrupts or its own timeouts. {@code reason} says
     * why the step was given up (a timeout, a cancellation, the branch settling); it carries no user text.
     */
    record StepAbandoned(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String agent,
            int step,
            int attempt,
            String reason)
            implements OrchestraEvent {}

    /** A branch was created: a root branch, a fork child or a rendezvous resolver. */
    record BranchSpawned(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            @Nullable String parentBranchId,
            String agent,
            BarrierKind origin)
            implements OrchestraEvent {}

    /** A branch settled (exactly once per branch). */
    record BranchSettled(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String agent,
            BranchStatus status,
            Duration duration,
            int steps)
            implements OrchestraEvent {}

    /** A barrier fired (or failed) after waiting {@code waited} since it opened. */
    record BarrierFired(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String barrierId,
            BarrierKind kind,
            String node,
            int arrived,
            int failed,
            Duration waited,
            boolean success)
            implements OrchestraEvent {}

    /** A timeout fired; {@code subject} names what timed out (an agent, a barrier, the run). */
    record TimeoutFired(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            TimeoutKind kind,
            String subject,
            Duration limit)
            implements OrchestraEvent {}

    /** A branch asked the user a question and is suspended until the answer arrives. */
    record UserQuestionAsked(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String interactionId,
            String agent,
            String question)
            implements OrchestraEvent {}

    /** A question was answered ({@code timedOut} when nobody answered in time). */
    record UserAnswered(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String interactionId,
            Duration waited,
            boolean timedOut)
            implements OrchestraEvent {}

    /** The session was written to storage; {@code checkpointId} is set for named checkpoints. */
    record CheckpointSaved(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            String backend,
            long bytes,
            Duration duration,
            @Nullable String checkpointId)
            implements OrchestraEvent {}

    /** The session paused at a step boundary. */
    record RunPaused(
            String sessionId, Instant timestamp, @Nullable String branchId, String reason) implements OrchestraEvent {}

    /** A paused or waiting session continued (possibly in another process). */
    record RunResumed(
            String sessionId, Instant timestamp, @Nullable String branchId) implements OrchestraEvent {}

    /** This leg of the session ended; {@code duration} is the leg's own wall time. */
    record RunCompleted(
            String sessionId,
            Instant timestamp,
            @Nullable String branchId,
            RunStatus status,
            Duration duration,
            int steps,
            @Nullable String error)
            implements OrchestraEvent {}
}
