package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.TimeoutKind;
import dev.orchestra4j.core.internal.error.ErrorDecision;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Questions to the user (SPEC §4.7). Asking suspends the branch without holding a thread: a live channel's answer
 * arrives as a signal; without one (or in durable mode) the question waits in the session state for {@code respond}.
 * The answer always resumes the agent that asked.
 */
final class Users {

    private static final Logger LOG = LoggerFactory.getLogger(Users.class);

    private final Machine m;
    private final SessionState st;

    Users(Machine machine) {
        this.m = machine;
        this.st = machine.state;
    }

    /**
     * A leg that continues a suspended session (resume, recovery, another process) takes over the questions still
     * pending. The previous leg's channel callbacks answer a coordinator that no longer runs, so each question is
     * withdrawn from the channel and asked again here, with a fresh {@code userInteractionTimeout} (time spent paused
     * does not count against the user).
     */
    void takeOverPending() {
        Optional<UserChannel> channel = liveChannel();
        if (channel.isEmpty() || st.questions.isEmpty()) {
            return;
        }
        for (SessionState.PendingQuestion pending : List.copyOf(st.questions.values())) {
            UserQuestion question = pending.question();
            long deadline = Deadlines.plus(m.nowMillis(), m.spec.execution().userInteractionTimeout());
            st.questions.put(question.interactionId(), new SessionState.PendingQuestion(question, deadline));
            m.timers.add(deadline, Deadlines.Kind.QUESTION, question.interactionId());
            UserChannel live = channel.get();
            m.telemetry.effects.perform(() -> {
                cancel(live, question.interactionId());
                send(live, question);
            });
        }
    }

    /** Asks on the channel; the answer (or the channel's failure, also a thrown one) comes back as a signal. */
    private void send(UserChannel channel, UserQuestion question) {
        String id = question.interactionId();
        try {
            channel.ask(question).whenComplete((answer, error) -> m.post(new Signal.UserAnswer(id, answer, error)));
        } catch (RuntimeException e) {
            m.post(new Signal.UserAnswer(id, null, e));
        }
    }

    private static void cancel(UserChannel channel, String interactionId) {
        try {
            channel.cancel(interactionId);
        } catch (RuntimeException e) {
            LOG.warn("user channel {} failed to cancel question '{}'", channel, interactionId, e);
        }
    }

    private Optional<UserChannel> liveChannel() {
        return m.spec.communication().suspendsOnQuestion()
                ? Optional.empty()
                : m.spec.communication().channel();
    }

    void ask(Branch b, String text, UserQuestion.Kind kind, List<String> options) {
        ask(b, null, text, kind, options);
    }

    /** Asks the user on behalf of {@code b}; {@code barrier} is set when the question is about that barrier. */
    void ask(Branch b, @Nullable String barrier, String text, UserQuestion.Kind kind, List<String> options) {
        String id = m.spec.sessionId() + ":q" + (++st.nextInteraction);
        UserQuestion question = new UserQuestion(id, m.spec.sessionId(), b.id, b.node, text, kind, options, m.now());
        b.move(new BranchState.Asking(id, barrier), "asked the user");
        Optional<UserChannel> channel = liveChannel();
        long deadline = channel.isPresent()
                ? Deadlines.plus(m.nowMillis(), m.spec.execution().userInteractionTimeout())
                : Long.MAX_VALUE;
        st.questions.put(id, new SessionState.PendingQuestion(question, deadline));
        m.timers.add(deadline, Deadlines.Kind.QUESTION, id);
        m.telemetry.emit(
                () -> new OrchestraEvent.UserQuestionAsked(m.spec.sessionId(), m.now(), b.id, id, b.node, text));
        channel.ifPresent(ch -> m.telemetry.effects.perform(() -> send(ch, question))); // once the question is stored
    }

    /** An answer arrived (from a channel or {@code respond}); unknown or late answers are ignored. */
    boolean answered(String interactionId, @Nullable String answer, @Nullable Throwable error) {
        SessionState.PendingQuestion pending = st.questions.get(interactionId);
        if (pending == null) {
            return false;
        }
        if (answer == null) {
            String why = error == null ? "no answer" : Stepping.describe(error);
            return expire(pending, "the user channel failed: " + why, false);
        }
        st.questions.remove(interactionId);
        m.timers.cancel(Deadlines.Kind.QUESTION, interactionId);
        // answered through respond(): the channel may still show the question
        liveChannel().ifPresent(ch -> m.telemetry.effects.perform(() -> cancel(ch, interactionId)));
        Branch b = st.branch(pending.question().branchId());
        String barrier = b.waitingOn();
        Duration waited = Duration.between(pending.question().askedAt(), m.now());
        m.telemetry.emit(() -> new OrchestraEvent.UserAnswered(
                m.spec.sessionId(), m.now(), b.id, interactionId, waited.isNegative() ? Duration.ZERO : waited, false));
        m.telemetry.note(b, TraceStep.Action.USER_ANSWER, List.of(b.node), answer, null);
        switch (pending.question().kind()) {
            case QUESTION, FOLLOW_UP -> {
                if (barrier != null) {
                    m.gates.userDecided(b, st.barrier(barrier), answer); // an ASK_USER barrier's proceed / fail
                } else {
                    resume(b, answer);
                }
            }
            case ERROR_DECISION -> decide(b, answer, pending.question());
        }
        return true;
    }

    private void resume(Branch b, String answer) {
        b.input = answer;
        b.from = Plan.USER;
        b.attempt = 1;
        m.queue.makeRunnable(b, "the user answered");
    }

    private void decide(Branch b, String answer, UserQuestion question) {
        Optional<ErrorDecision> decision = ErrorDecision.parse(answer);
        ErrorContext error = b.error;
        if (decision.isEmpty()) {
            String again = error == null ? question.question() : Failures.decisionQuestion(error);
            ask(b, "Please answer retry, skip or abort.\n" + again, question.kind(), question.options());
            return;
        }
        String failure = error == null ? "a failure" : error.message();
        switch (decision.get()) {
            case RETRY -> {
                b.attempt++;
                b.steering = 0; // the user's retry gets the full steering budget again
                m.queue.makeRunnable(b, "the user chose retry");
            }
            case SKIP -> m.settlement.settle(b, BranchStatus.ABANDONED, "skipped by the user after: " + failure);
            case ABORT ->
                m.lifecycle.stop(
                        m, RunStatus.FAILED, "aborted by the user after agent '" + b.node + "' failed: " + failure);
        }
    }

    /** The question's deadline passed. */
    void deadline(String interactionId) {
        SessionState.PendingQuestion pending = st.questions.get(interactionId);
        if (pending != null && pending.deadlineMillis() <= m.nowMillis()) {
            Duration limit = m.spec.execution().userInteractionTimeout();
            st.timeouts++;
            m.telemetry.emit(() -> new OrchestraEvent.TimeoutFired(
                    m.spec.sessionId(),
                    m.now(),
                    pending.question().branchId(),
                    TimeoutKind.USER_INTERACTION,
                    pending.question().agent(),
                    limit));
            expire(pending, "no answer from the user within " + limit + " (userInteractionTimeout)", true);
        }
    }

    private boolean expire(SessionState.PendingQuestion pending, String reason, boolean timedOut) {
        String id = pending.question().interactionId();
        st.questions.remove(id);
        m.timers.cancel(Deadlines.Kind.QUESTION, id);
        liveChannel().ifPresent(ch -> m.telemetry.effects.perform(() -> cancel(ch, id)));
        Branch b = st.branch(pending.question().branchId());
        String barrier = b.waitingOn();
        Duration waited = Duration.between(pending.question().askedAt(), m.now());
        m.telemetry.emit(
                () -> new OrchestraEvent.UserAnswered(m.spec.sessionId(), m.now(), b.id, id, waited, timedOut));
        ErrorContext context = new ErrorContext(
                timedOut ? ErrorCategory.TIMEOUT : ErrorCategory.UNKNOWN, reason, b.node, b.id, b.attempt, b.input);
        m.telemetry.note(b, TraceStep.Action.TIMEOUT, List.of(), null, reason);
        if (barrier != null) {
            m.convergence.fail(st.barrier(barrier), reason + " (asked whether to proceed with partial results)");
        } else if (pending.question().kind() == UserQuestion.Kind.ERROR_DECISION) {
            m.settlement.settle(b, BranchStatus.FAILED, reason + "; after: " + failureOf(b));
        } else {
            m.failures.route(b, context, false);
        }
        return true;
    }

    private static String failureOf(Branch b) {
        return b.error == null ? "a failure" : b.error.message();
    }

    /** A branch that settled while asking ({@code id}) takes its question with it. */
    void dropQuestion(String id) {
        if (st.questions.remove(id) == null) {
            return; // answered or expired already: the channel was told then (once)
        }
        m.timers.cancel(Deadlines.Kind.QUESTION, id);
        liveChannel().ifPresent(ch -> m.telemetry.effects.perform(() -> cancel(ch, id)));
    }

    List<UserQuestion> pending() {
        synchronized (st.questions) { // a synchronized map: iterating it holds its lock (no stream per result)
            if (st.questions.isEmpty()) {
                return List.of();
            }
            List<UserQuestion> questions = new java.util.ArrayList<>(st.questions.size());
            st.questions.values().forEach(q -> questions.add(q.question()));
            return questions;
        }
    }
}
