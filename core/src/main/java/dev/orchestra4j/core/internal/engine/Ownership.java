package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One owner per session across processes (SPEC §10). A running leg keeps a lease by writing at least every {@link
 * StateManager#heartbeatInterval()} (a journal append, a snapshot, or a heartbeat re-write); a recoverer takes over a
 * session stored RUNNING only after watching it stay unwritten for a whole {@link StateManager#leaseTimeout()}. Both are
 * measured on the session's clock, so a test that moves its clock moves the lease with it. Writes are versioned, so
 * even a recoverer that guessed wrong cannot commit over a newer state: the stale owner stops at its next write. Every
 * write is fenced by the journal, atomically in storage: an append names the last sequence its owner knows, and so does
 * a snapshot write ({@link StateManager#save(SessionSnapshot, long)}), so once a claim appended its fence the old
 * owner can write nothing more — even when the claim's own snapshot write then failed.
 */
final class Ownership {

    /** How often the watch looks at storage at most (real time); the lease itself runs on the session clock. */
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Ownership() {}

    /** Returns once the stored owner of {@code session} is silent; throws when it proves alive. */
    static void awaitSilentOwner(Session session) {
        StateManager manager = session.spec().stateManager().orElse(null);
        if (manager == null) {
            return;
        }
        String id = session.id();
        Clock clock = session.spec().clock();
        Duration lease = manager.leaseTimeout();
        SessionSnapshot seen = load(manager, id);
        long seenSequence = manager.lastEventSequence(id);
        if (!seen.status().equals(Persistence.RUNNING)
                || Duration.between(seen.updatedAt(), clock.instant()).compareTo(lease) >= 0) {
            return; // not owned, or already silent for a whole lease
        }
        long until = Deadlines.plus(clock.millis(), lease);
        long poll =
                Math.max(1, Math.min(MAX_POLL_NANOS, manager.heartbeatInterval().toNanos() / 2));
        SimulationHooks simulation = session.spec().simulation();
        while (clock.millis() < until) {
            try {
                if (simulation != null) {
                    simulation.leaseWatch(id); // time passes on the simulation's clock, not in real time
                } else {
                    LockSupport.parkNanos(poll);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionException("interrupted while recoverSession watched session '" + id + "'");
            }
            SessionSnapshot again = load(manager, id);
            if (again.version() != seen.version() || manager.lastEventSequence(id) != seenSequence) {
                throw new SessionException("session '" + id + "' is alive in another process: it was written again"
                        + " while recoverSession watched it (leaseTimeout " + lease + "); only a session whose owner"
                        + " has died can be recovered (pause it there, or cancel it)");
            }
        }
    }

    /**
     * Takes a stored session over and writes {@code payload} as its RUNNING snapshot. Returns the stored version;
     * throws a {@link SessionException} when another process moved the session on first.
     *
     * <p>A session stored RUNNING may still have a live owner (a recovery judged it dead): its journal is fenced first
     * with a claim at the sequence this process knows, so that owner's next append or snapshot write is rejected even
     * when the snapshot write then fails; the snapshot is written fenced at the claim (a later claim refuses it).
     *
     * <p>A session {@code atRest} (paused, waiting for the user, created) has no owner writing it: the snapshot, written
     * at the version and journal sequence this process read, is the claim, and of two processes continuing it at once
     * exactly one writes it. A claim journaled first would let the other process, reading the session at rest just
     * then, claim after it and fence out the one that ran the step, and neither would finish it.
     */
    static long claim(SessionSpec spec, Persistence persistence, JsonNode payload, boolean atRest) {
        StateManager manager = spec.stateManager().orElseThrow();
        try {
            long fenced = atRest
                    ? persistence.sequence()
                    : manager.appendEvents(
                            spec.sessionId(),
                            persistence.sequence(),
                            List.of(SnapshotValues.MAPPER
                                    .createObjectNode()
                                    .put(JournalDelta.KIND, JournalDelta.CLAIM)));
            long version = persistence // the dead leg's records stay: moved to the recording before truncation
                    .durable()
                    .records
                    .compact(manager, spec.sessionId(), persistence.snapshot(Persistence.RUNNING, payload), fenced)
                    .version();
            persistence.claimed(payload, fenced);
            return version;
        } catch (ConcurrentSessionModificationException e) {
            throw new SessionException(
                    "session '" + spec.sessionId()
                            + "' is being continued by another process (its stored version moved on): "
                            + e.getMessage(),
                    e);
        }
    }

    /** Whether storage holds the session at rest (not RUNNING), as this process last wrote or read it. */
    static boolean atRest(@Nullable LastLeg last, @Nullable String storedStatus) {
        String status = last != null ? last.status().name() : storedStatus;
        return status != null && !status.equals(Persistence.RUNNING);
    }

    /** Throws when a session read at rest and not run here since was {@code claimedElsewhere} ({@link #claimedSince}). */
    static void checkNotClaimed(String id, @Nullable LastLeg last, @Nullable String claimedElsewhere) {
        if (last == null && claimedElsewhere != null) {
            throw new SessionException("session '" + id + "' is being continued by another process: " + claimedElsewhere
                    + "; if that process died, call recoverSession to take it over");
        }
    }

    /**
     * Why a session read at rest (not RUNNING) is another process's now, or null: its journal goes on past the stored
     * state ({@code lastSequence}, read with it). A session at rest has nothing journaled after its snapshot but the
     * claim of a process that is taking it on ({@link Ownership#claim}) — alive and about to store it RUNNING, or dead
     * in between; claiming after that claim would fence the live one out, and neither would finish the session.
     */
    static @Nullable String claimedSince(SessionSnapshot snapshot, long lastSequence) {
        if (snapshot.status().equals(Persistence.RUNNING) || lastSequence <= snapshot.journalSequence()) {
            return null;
        }
        return "its journal runs to sequence " + lastSequence + ", past the state stored " + snapshot.status()
                + " (through " + snapshot.journalSequence() + "): another process claimed it since";
    }

    private static SessionSnapshot load(StateManager manager, String id) {
        return manager.loadSession(id)
                .orElseThrow(() -> new SessionException("session '" + id + "' is no longer in storage"));
    }
}
