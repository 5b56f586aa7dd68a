package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

/** How a turn ended. */
public sealed interface TurnOutcome {

    /** The turn ended normally; the runner refreshes the issue to decide on another turn. */
    record Completed(String summary) implements TurnOutcome {
        public Completed {
            requireNonNull(summary, "summary");
        }
    }

    /** The turn failed; the attempt ends and is retried with backoff. */
    record Failed(String reason) implements TurnOutcome {
        public Failed {
            requireNonNull(reason, "reason");
        }
    }

    /** The agent asked the operator; the issue is blocked until {@code POST /api/v1/<id>/respond}. */
    record InputRequired(String question) implements TurnOutcome {
        public InputRequired {
            requireNonNull(question, "question");
        }
    }

    static TurnOutcome completed(String summary) {
        return new Completed(summary);
    }

    static TurnOutcome failed(String reason) {
        return new Failed(reason);
    }

    static TurnOutcome inputRequired(String question) {
        return new InputRequired(question);
    }
}
