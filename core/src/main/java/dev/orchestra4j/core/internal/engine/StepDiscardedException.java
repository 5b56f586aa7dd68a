package dev.orchestra4j.core.internal.engine;

import java.util.concurrent.CancellationException;

/**
 * What a step's interceptors see instead of its outcome when the step returns after its leg ended (it ignored the
 * interrupt of a cancel or a failure, say): the outcome is discarded, so interceptors must not act on it. The step
 * recording in particular must not append it: the session's next leg (a restored copy, a recovery) may already append
 * to the same recording, and the late append would fence that leg out as if another process had taken it over.
 */
public final class StepDiscardedException extends CancellationException {

    private static final long serialVersionUID = 1L;

    StepDiscardedException(String message) {
        super(message);
    }
}
