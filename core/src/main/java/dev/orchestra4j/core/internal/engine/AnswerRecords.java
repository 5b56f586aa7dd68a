package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.user.UserQuestion;
import org.jspecify.annotations.Nullable;

/**
 * The recording's record of an answer the user gave ({@value #KIND}), so that a replay can feed it to the same
 * question again: the question (interaction id, kind, branch, agent, text) and the answer. It rides in the journal
 * entry that commits the answer, as a step's record does ({@link JournaledRecords}), and only when the session records
 * its steps. Built on the coordinator before the machine takes the answer (the machine then forgets the question).
 *
 * <p>Internal: not part of the API.
 */
public final class AnswerRecords {

    /** The record's kind, in the {@code "t"} field a step record holds {@code "step"} in. */
    public static final String KIND = "answer";

    /** A step interceptor that hands step records to the engine: while one does, answers are recorded too. */
    public interface Source {
        /** Whether this interceptor records the steps it sees. */
        boolean records();
    }

    private AnswerRecords() {}

    /**
     * The record of {@code signal} when it is an answer to a question the session still waits for and the session
     * records its steps (secrets masked); else null.
     */
    static @Nullable ObjectNode of(Coordinator c, Signal signal) {
        if (!(signal instanceof Signal.UserAnswer a) || a.answer() == null || !records(c.spec)) {
            return null;
        }
        ObjectNode n = RecordedValues.mapper().createObjectNode().put("t", KIND);
        n.put("interaction", a.interactionId());
        SessionState.PendingQuestion pending = c.state.questions.get(a.interactionId());
        if (pending != null) {
            UserQuestion q = pending.question();
            n.put("kind", q.kind().name()).put("branch", q.branchId()).put("agent", q.agent());
            n.put("question", q.question());
        } else if (c.machine.lifecycle.followUps().owns(a.interactionId())) {
            n.put("kind", UserQuestion.Kind.FOLLOW_UP.name());
        } else {
            return null; // unknown or late: the machine ignores it
        }
        n.put("answer", a.answer());
        return (ObjectNode) c.spec.masked(n);
    }

    private static boolean records(SessionSpec spec) {
        return spec.stateManager().isPresent()
                && spec.interceptors().stream().anyMatch(i -> i instanceof Source s && s.records());
    }
}
