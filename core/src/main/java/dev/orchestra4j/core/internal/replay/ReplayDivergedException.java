package dev.orchestra4j.core.internal.replay;

import dev.orchestra4j.core.replay.Divergence;

/** Thrown on the step thread when a replayed step no longer matches its recording (the session is being cancelled). */
final class ReplayDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ReplayDivergedException(Divergence divergence) {
        super(divergence.toString());
    }
}
