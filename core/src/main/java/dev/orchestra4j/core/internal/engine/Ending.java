package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A leg's time and its end, the shell's side of {@link Lifecycle}: the leg's elapsed time counted into the session's
 * before every save (so {@code runTimeout} holds across legs and recoveries, C6), and, once the machine stopped, the
 * final save, the result, and the leg's last event.
 */
final class Ending {

    /** The session clock (SPEC §4.5): the run's elapsed time, and so {@code runTimeout} across legs, is measured on it. */
    private final Clock clock;

    private final long legStartNanos;
    /** Up to when this leg's time is counted in the session's elapsed time. */
    private long accountedNanos;

    Ending(Clock clock) {
        this.clock = clock;
        this.legStartNanos = nanos();
        this.accountedNanos = legStartNanos;
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Adds the time since the last count to the session's elapsed time; called before every save, so a leg that
     * crashes has its time counted up to its last commit and {@code runTimeout} holds across recoveries (C6).
     */
    void account(SessionState state) {
        long now = nanos();
        state.elapsedNanosBefore += now - accountedNanos;
        accountedNanos = now;
    }

    /** The machine stopped: saves its final state and assembles the leg's result. */
    OrchestraResult end(Coordinator c) {
        long legNanos = nanos() - legStartNanos;
        Lifecycle life = c.machine.lifecycle;
        account(c.state);
        c.persistence.save(c, life.status().name());
        c.persistence.faults.throwIfStorageFailed(c);
        String lost = c.persistence.faults.lostReason();
        if (lost != null) {
            life.endLost(lost);
        }
        RunStatus status = life.status();
        String error = life.error();
        OrchestraResult result = Results.assemble(c, status, error);
        if (status == RunStatus.PAUSED) {
            String reason = life.pauseReason() == null ? "paused" : life.pauseReason();
            c.telemetry.emit(() -> new OrchestraEvent.RunPaused(c.spec.sessionId(), c.now(), null, reason));
        } else {
            c.telemetry.emit(() -> new OrchestraEvent.RunCompleted(
                    c.spec.sessionId(), c.now(), null, status, Duration.ofNanos(legNanos), c.state.steps, error));
        }
        return result;
    }
}
