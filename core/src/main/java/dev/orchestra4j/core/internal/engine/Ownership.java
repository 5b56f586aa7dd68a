package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import java.time.Duration;

/**
 * One owner per session across processes (SPEC §10). A running leg keeps a lease by writing at least every {@link
 * Session#HEARTBEAT} (a journal append or a snapshot); a recoverer takes over a session stored RUNNING only after watching it stay unwritten for a
 * whole {@link Session#LEASE}. Writes are versioned, so even a recoverer that guessed wrong cannot commit over a newer
 * state: the stale owner stops at its next write.
 */
final class Ownership {

    private Ownership() {}

    /** Returns once the stored owner of {@code session} is silent; throws when it proves alive. */
    static void awaitSilentOwner(Session session) {
        StateManager manager = session.spec().stateManager().orElse(null);
        if (manager == null) {
            return;
        }
        String id = session.id();
        SessionSnapshot seen = load(manager, id);
        long seenSequence = manager.lastEventSequence(id);
        if (!seen.status().equals(Persistence.RUNNING)) {
            return;
        }
        Duration quiet =
                Duration.between(seen.updatedAt(), session.spec().clock().instant());
        if (quiet.compareTo(Session.LEASE) >= 0) {
            return;
        }
        try {
            Thread.sleep(Session.LEASE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("interrupted while recoverSession waited for session '" + id + "'", e);
        }
        SessionSnapshot again = load(manager, id);
        if (again.version() != seen.version() || manager.lastEventSequence(id) != seenSequence) {
            throw new SessionException("session '" + id + "' is alive in another process: it was written again while"
                    + " recoverSession watched it for " + Session.LEASE + "; only a session whose owner has died can"
                    + " be recovered (pause it there, or cancel it)");
        }
    }

    private static SessionSnapshot load(StateManager manager, String id) {
        return manager.loadSession(id)
                .orElseThrow(() -> new SessionException("session '" + id + "' is no longer in storage"));
    }
}
