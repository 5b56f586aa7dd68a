package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.state.StateException;

/**
 * Storage failed while a step ran, on the engine's behalf rather than the agent's (the step's recording could not be
 * appended, say). It is not the agent's failure and is never routed as one: the leg ends with the storage error, as
 * when a commit fails, and the step runs again when the session is recovered. A {@link
 * dev.orchestra4j.state.ConcurrentSessionModificationException} as the cause means another process took the session
 * over.
 */
public final class StepStorageException extends StateException {

    private static final long serialVersionUID = 1L;

    private final StateException storage;

    public StepStorageException(String message, StateException storage) {
        super(message + ": " + storage.getMessage(), storage);
        this.storage = storage;
    }

    /** The storage error itself. */
    public StateException storage() {
        return storage;
    }
}
