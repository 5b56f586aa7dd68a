package dev.orchestra4j.server.internal.pipeline;

import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.state.StateManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease of a pipeline run's stored session (its id is the run id): a run's performer writes the session at least
 * every {@link StateManager#heartbeatInterval()} while it runs, so a session stored {@code RUNNING} and unwritten for a
 * whole {@link StateManager#leaseTimeout()} has no live performer. The wait is read off the server's clock once,
 * then waited in real time.
 */
final class RunLease {

    private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);

    private final StateManager stateManager;
    private final Clock clock;

    RunLease(StateManager stateManager, Clock clock) {
        this.stateManager = stateManager;
        this.clock = clock;
    }

    /** Runs {@code action} once the run has no live performer; does nothing when one proves alive. */
    void afterStale(String runId, Runnable action) {
        Optional<StoredSession> seen = load(runId);
        if (seen.isPresent() && seen.get().status().equals(StoredSession.RUNNING)) {
            Duration left =
                    Duration.between(clock.instant(), seen.get().updatedAt().plus(stateManager.leaseTimeout()));
            long deadline = System.nanoTime() + Math.max(0, left.toNanos());
            for (long wait = deadline - System.nanoTime(); wait > 0; wait = deadline - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            Optional<StoredSession> again = load(runId);
            if (again.isPresent()
                    && (again.get().version() != seen.get().version()
                            || again.get().journalSequence() != seen.get().journalSequence())) {
                LOG.warn("run {} is still performed by another live process; left to it", runId);
                return;
            }
        }
        action.run();
    }

    private Optional<StoredSession> load(String runId) {
        return StoredSession.load(stateManager, runId);
    }
}
