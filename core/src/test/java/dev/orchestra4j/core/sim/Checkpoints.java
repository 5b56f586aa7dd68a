package dev.orchestra4j.core.sim;

import dev.orchestra4j.core.internal.engine.Session;
import dev.orchestra4j.core.internal.engine.SimulationBridge;
import dev.orchestra4j.state.StateManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoints a case takes: of the running leg (asked for from the simulation's thread, taken at the leg's next
 * loop turn) or of the session at rest (a copy of what storage holds, refused while steps are journaled after the
 * snapshot). Restoring them is the simulation's (it resets what the case knows of the session).
 */
final class Checkpoints {

    static final int MAX = 3;

    private final Simulation sim;
    /** How many were asked for. */
    int count;
    /** The ids of those taken, in order (also added to from the leg's thread). */
    final List<String> ids = new ArrayList<>();

    Checkpoints(Simulation sim) {
        this.sim = sim;
    }

    boolean mayTakeMore() {
        return sim.scenario.checkpoints() && count < MAX;
    }

    /**
     * A checkpoint of the running leg, asked for from this thread: the request is in the leg's mailbox when this
     * returns (the leg saves first, at its next loop turn), and its outcome is noted when the leg completes it.
     */
    void whileRunning() {
        String name = "c" + ++count;
        sim.trail("checkpoint '" + name + "' while running");
        Incarnation of = sim.live;
        Session session = SimulationBridge.session(of.instance, sim.sessionId);
        if (session == null) {
            throw sim.fail("the running session is not in memory");
        }
        java.util.concurrent.CompletableFuture<String> id;
        try {
            id = session.checkpoint(name);
        } catch (RuntimeException e) {
            failed(of, name, e);
            return;
        }
        id.whenComplete((taken, e) -> {
            if (e == null) {
                taken(of, taken);
            } else {
                failed(of, name, e instanceof RuntimeException r ? r : new IllegalStateException(e));
            }
        });
    }

    /** A checkpoint of the suspended (or ended, or storage-failed) session: it copies what storage holds. */
    void atRest() {
        String name = "c" + ++count;
        sim.trail("checkpoint '" + name + "' at rest");
        StateManager manager = new StateManager(sim.storage);
        boolean stored = manager.loadSession(sim.sessionId).isPresent();
        boolean stepsAfterSnapshot = manager.loadSession(sim.sessionId)
                .map(s -> manager.lastEventSequence(sim.sessionId) > s.journalSequence())
                .orElse(false);
        String id;
        try {
            id = sim.live.instance.createCheckpoint(sim.sessionId, name);
            if (!stored) {
                throw sim.fail("checkpoint '" + name + "' was taken of a session storage does not hold: " + id);
            }
        } catch (dev.orchestra4j.core.SessionException e) {
            if (!stored && e.getMessage().contains("unknown session")) { // its first write failed: nothing to copy
                sim.stats.add("checkpoints refused (nothing stored)");
                sim.trail("  refused: storage holds nothing of the session");
                return;
            }
            if (!stepsAfterSnapshot) {
                throw sim.fail("checkpoint '" + name + "' was refused: " + Simulation.describe(e));
            }
            sim.stats.add("checkpoints refused (steps journaled after the snapshot)");
            sim.trail("  refused: steps are journaled after the snapshot");
            return;
        } catch (RuntimeException e) {
            failed(sim.live, name, e);
            return;
        }
        if (stepsAfterSnapshot) {
            throw sim.fail("checkpoint " + id + " was taken of a snapshot that lacks the steps journaled after it");
        }
        taken(sim.live, id);
    }

    private void taken(Incarnation of, String id) {
        if (of.dead) {
            return;
        }
        synchronized (ids) {
            ids.add(id);
        }
        sim.stats.add("checkpoints");
        sim.w.notes.add("  checkpoint " + id + " taken");
    }

    private void failed(Incarnation of, String name, RuntimeException e) {
        if (of.dead) {
            return;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("could not be saved first") && message.contains("taken over by another process")) {
            // a recovery fenced the journal (and then failed, or took over): the owner may no longer write
            sim.stats.add("checkpoints refused: the owner was fenced out");
            sim.w.notes.add("  checkpoint '" + name + "' refused: " + Simulation.firstLine(message));
            return;
        }
        if (!StorageFaults.injected(e)) {
            sim.violation("checkpoint '" + name + "' failed: " + Simulation.describe(e));
        }
        sim.w.notes.add("  checkpoint '" + name + "' failed: " + Simulation.firstLine(e.getMessage()));
    }
}
