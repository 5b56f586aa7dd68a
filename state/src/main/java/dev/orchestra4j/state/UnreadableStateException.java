package dev.orchestra4j.state;

/**
 * Stored session state that cannot be read as it is: a snapshot or journal entry that fails its checksum, is not the
 * JSON its reader expects, or — on recovery — does not replay to the state its journal committed. Unlike other {@link
 * StateException}s (an unreachable or failing backend), retrying does not help: the same read fails the same way until
 * the data, or the code or options reading it, change. The message names the session or key, the entry and the cause.
 */
public class UnreadableStateException extends StateException {

    public UnreadableStateException(String message) {
        super(message);
    }

    public UnreadableStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
