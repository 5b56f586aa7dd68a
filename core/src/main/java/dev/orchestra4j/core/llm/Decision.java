package dev.orchestra4j.core.llm;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.AgentResponse;

/** How one coordination call was judged: a response the step ends with, or the problem the model must fix. */
sealed interface Decision {

    /** The call is valid; {@code receipt} becomes the synthetic tool result that keeps the memory well-formed. */
    record Accepted(AgentResponse response, String receipt) implements Decision {
        public Accepted {
            requireNonNull(response, "response");
            requireNonNull(receipt, "receipt");
        }
    }

    /** The call is invalid; {@code problem} says why, for the steering message and the final failure. */
    record Rejected(String problem) implements Decision {
        public Rejected {
            requireNonNull(problem, "problem");
        }
    }
}
