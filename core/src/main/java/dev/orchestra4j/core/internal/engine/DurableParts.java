package dev.orchestra4j.core.internal.engine;

import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Persistence} keeps only for a session with a StateManager: the write lock, the heartbeat, the commit
 * cadence, the step records riding with the commits and the journal's delta. A session without one makes none of it
 * (about 190 bytes per session in flight).
 */
final class DurableParts {

    final ReentrantLock writing = new ReentrantLock();
    final Heartbeat heart;
    final Cadence cadence = new Cadence();
    /** Step records (issue #19) riding with the commits, moved to the recording before the journal is truncated. */
    final JournaledRecords records = new JournaledRecords();
    /** Made on the first write: a session never saved keeps no journal state in memory. */
    private @Nullable JournalDelta journal;

    DurableParts(Persistence persistence, Clock clock) {
        this.heart = new Heartbeat(persistence, clock);
    }

    JournalDelta journal() {
        JournalDelta delta = journal;
        return delta != null ? delta : (journal = new JournalDelta());
    }

    /** {@code parts}, which a path that runs only with a StateManager needs. */
    static DurableParts required(@Nullable DurableParts parts, String sessionId) {
        if (parts == null) {
            throw new IllegalStateException("session '" + sessionId + "' has no StateManager");
        }
        return parts;
    }

    /** Nothing waits for a commit any more (a write did not go through); nothing to do without a StateManager. */
    static void clean(@Nullable DurableParts parts) {
        if (parts != null) {
            parts.cadence.clean();
        }
    }
}
