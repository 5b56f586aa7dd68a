package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.internal.error.RetryPlanner;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What happens after a step fails (SPEC §4.6): steering for invalid coordination, retry with backoff for retryable
 * errors, then the node's {@code [on error]} edge, then the user (Retry / Skip / Abort), else the branch fails into its
 * barrier. A failed attempt never changes the branch's memory.
 */
final class Failures {

    private final Machine m;
    private final RetryPlanner planner;

    Failures(Machine machine) {
        this.m = machine;
        this.planner = RetryPlanner.of(machine.spec.errors());
    }

    /**
     * A step failed.
     *
     * @param steerable whether the failure is an invalid coordination decision the agent may correct
     */
    void stepFailed(Branch b, @Nullable StepOutcome o, ErrorCategory category, String message, boolean steerable) {
        ErrorContext context = new ErrorContext(category, message, b.node, b.id, b.attempt, b.input);
        if (o == null) {
            m.telemetry.note(b, TraceStep.Action.FAIL, List.of(), null, message);
        } else {
            m.telemetry.recordStep(b, TraceStep.Action.FAIL, List.of(), o, null, message);
        }
        Optional<Duration> retry = steerable
                ? steering(b)
                : planner.nextDelay(
                        category,
                        o == null || o.classified() == null
                                ? Optional.empty()
                                : o.classified().retryAfter(),
                        b.attempt,
                        b.info(m.plan).limits().maxRetries(),
                        RetryPlanner.draw(m.spec.sessionId(), b.id, b.attempt, b.steps));
        long nanos = o == null ? 0 : o.nanos();
        int step = b.stepNumber;
        m.telemetry.emit(() -> new OrchestraEvent.StepFailed(
                m.spec.sessionId(),
                m.now(),
                b.id,
                b.node,
                step,
                b.attempt,
                category,
                message,
                Duration.ofNanos(nanos),
                retry.isPresent()));
        if (retry.isPresent()) {
            again(b, context, category, retry.get());
        } else {
            route(b, context);
        }
    }

    private Optional<Duration> steering(Branch b) {
        if (b.steering >= m.spec.execution().effectiveSteeringRetries()) {
            return Optional.empty();
        }
        b.steering++;
        return Optional.of(Duration.ZERO);
    }

    private void again(Branch b, ErrorContext context, ErrorCategory category, Duration delay) {
        m.state.retries++;
        b.attempt++;
        b.error = context;
        int next = b.attempt;
        // one reading of the clock: the event announces exactly the instant the retry waits for
        java.time.Instant now = m.now();
        long notBefore = delay.isZero() ? 0 : Deadlines.plus(now.toEpochMilli(), delay);
        m.telemetry.emit(
                () -> new OrchestraEvent.RetryScheduled(m.spec.sessionId(), now, b.id, b.node, next, category, delay));
        m.queue.retryAt(b, notBefore, "a retry was scheduled");
    }

    /**
     * Retries are over (or the error is permanent): the {@code [on error]} edge, else the user (an edge to User, or an
     * {@code [on error]} edge to User), else fail into the barrier.
     */
    void route(Branch b, ErrorContext context) {
        route(b, context, true);
    }

    /**
     * Like {@link #route(Branch, ErrorContext)}; with {@code mayAskUser} false the user is not asked Retry / Skip /
     * Abort — for failures that are the user's silence itself (an unanswered question), where asking again would only
     * wait for the same absent user a second time.
     */
    void route(Branch b, ErrorContext context, boolean mayAskUser) {
        boolean routing = m.spec.errors().enableErrorRouting();
        Optional<String> handler = routing ? m.plan.analysis.errorTarget(b.node) : Optional.empty();
        if (handler.isPresent() && !handler.get().equals(Plan.USER)) {
            toHandler(b, handler.get(), context);
            return;
        }
        if (mayAskUser && routing && (handler.isPresent() || b.info(m.plan).canAskUser())) {
            b.error = context;
            m.users.ask(
                    b,
                    decisionQuestion(context),
                    UserQuestion.Kind.ERROR_DECISION,
                    dev.orchestra4j.core.internal.error.ErrorDecision.options());
            return;
        }
        m.settlement.settle(
                b,
                BranchStatus.FAILED,
                "agent '" + context.failedAgent() + "' failed on " + b.id + " (attempt " + context.attempt() + ", "
                        + context.category() + "): " + context.message());
    }

    /**
     * Follows an {@code [on error]} edge: the branch moves to the handler agent. When the handler is the agent whose
     * fork this branch works for (a worker's error edge back to its hub), the failure is delivered to that fork like a
     * hand-off, so the hub finds it among its arrivals instead of running again inside the child. An edge to End ends
     * the branch the same way. What is delivered is the error context, or its message when contexts are not preserved.
     */
    private void toHandler(Branch b, String handler, ErrorContext context) {
        boolean preserve = m.spec.errors().preserveErrorContext();
        Object failure = preserve ? context : context.message();
        m.telemetry.note(b, TraceStep.Action.ERROR_ROUTE, List.of(handler), null, context.message());
        b.error = preserve ? context : null;
        b.attempt = 1;
        b.steering = 0;
        Barrier fork = lineageForkAt(b, handler);
        if (fork != null) {
            m.convergence.deliver(b, fork, failure);
            m.settlement.settle(b, BranchStatus.COMPLETED, null);
        } else if (handler.equals(Plan.END)) {
            m.router.handOff(b, Plan.END, failure);
        } else {
            m.router.moveTo(b, handler, b.input);
        }
    }

    private @Nullable Barrier lineageForkAt(Branch b, String node) {
        for (String forkId : b.lineage) {
            Barrier fork = m.state.barrier(forkId);
            if (fork.isOpen() && fork.node.equals(node)) {
                return fork;
            }
        }
        return null;
    }

    /** The Retry / Skip / Abort question for {@code context}. */
    static String decisionQuestion(ErrorContext context) {
        return "Agent '" + context.failedAgent() + "' failed (" + context.category() + "): " + context.message()
                + "\nRetry, skip or abort?";
    }

    /** The barrier {@code resolver} waited on failed; the resolver fails in turn (through its own error route). */
    void barrierFailed(Branch resolver, String reason) {
        route(
                resolver,
                new ErrorContext(
                        ErrorCategory.AGENT, reason, resolver.node, resolver.id, resolver.attempt, resolver.input));
    }
}
