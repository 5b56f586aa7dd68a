package dev.orchestra4j.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Two live processes competing for one session (SPEC §10, one owner per session). A second process calls {@code
 * recoverSession} while the owner runs; its lease watch looks at storage each time the simulation lets it, as the
 * virtual clock moves on. Either the owner keeps running (every clock move scans it, so it writes its heartbeat) and the
 * recovery must be refused without writing anything, or the owner has gone silent (it is not scanned and nothing of it
 * moves: a long pause, a partition) and the recovery must take the session over once the lease has run out, claiming
 * exactly the state storage held. The owner then runs on as a stale process: its parked steps return, its queued steps
 * start, its deadlines are scanned (its heartbeat is due), answers and resumes reach its copy; every write it makes after the
 * claim must be rejected (the claim fenced the journal and moved the snapshot's version), its leg must end FAILED as
 * taken over, and none of its later steps may count as committed.
 */
final class Competition {

    /** How far the clock moves between two looks of a lease watch. */
    static final Duration LOOK = Duration.ofMillis(500);
    /** A watch that has not ended after this many looks never will (the lease is a few seconds). */
    static final int MAX_LOOKS = 100;

    private final Simulation sim;
    private final boolean enabled;
    private int contests;
    /** The processes taken over that run on. */
    private final List<Incarnation> stale = new ArrayList<>();
    /** How stale legs ended since the last action, by process. */
    private final java.util.SortedMap<Integer, String> notes = new java.util.TreeMap<>();
    /** Answers and resumes sent to a recovering process while it watches the owner's lease. */
    final WatchCalls watchCalls;

    Competition(Simulation sim, boolean enabled) {
        this.sim = sim;
        this.enabled = enabled;
        this.watchCalls = new WatchCalls(sim);
    }

    /** Whether a second process may try to recover the running session now. */
    boolean mayContest() {
        return enabled && contests < 2;
    }

    void contestUnchecked() {
        try {
            contest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A second process recovers the session while the live process runs it. */
    void contest() throws InterruptedException {
        contests++;
        Incarnation owner = sim.live;
        boolean silent = sim.random.nextBoolean();
        Simulation.Ended ownersLast = sim.ended();
        JsonNode stored = sim.model.stored();
        Incarnation rival = sim.incarnate();
        sim.trail("process " + rival.number + " recovers the session while process " + owner.number
                + (silent ? " is silent" : " runs"));
        sim.live = rival;
        sim.ended(new Simulation.Ended(null, null));
        if (sim.scenario.storageFaults() && sim.random.nextBoolean()) {
            // one of the writes of its claim (the journal fence, the records moved, the snapshot, the truncation)
            int index = sim.random.nextInt(4);
            StorageFaults.Fault fault = StorageFaults.Fault.values()[1 + sim.random.nextInt(4)];
            rival.arm(index, fault);
            sim.trail("  its claim's write " + index + " will meet " + fault);
        }
        rival.reloading(stored);
        rival.captureNext();
        int at = sim.actions;
        sim.blocking(
                "recoverSession in process " + rival.number,
                () -> dev.orchestra4j.core.internal.engine.SimulationBridge.known(rival.instance, sim.sessionId)
                        .resume(Map.of("recovered-" + at, at), true));
        sim.quiesce();
        int looks = 0;
        // in two contests of three, an answer or a resume reaches the recovering process during its watch
        int callAt = sim.random.nextInt(3) == 0 ? -1 : 1 + sim.random.nextInt(6);
        WatchCalls.Call call = null;
        int ownerEvents = 0;
        while (watching(rival)) {
            if (++looks > MAX_LOOKS) {
                throw sim.fail(
                        "the lease watch of process " + rival.number + " did not end in " + MAX_LOOKS + " looks");
            }
            if (looks == callAt) {
                synchronized (owner.events) {
                    ownerEvents = owner.events.size();
                }
                call = !silent && watchCalls.asks(owner) && sim.random.nextBoolean()
                        ? watchCalls.sendToOwner(owner, rival)
                        : watchCalls.send(rival);
                sim.quiesce();
            }
            sim.clock.advance(LOOK);
            sim.w.lock.lock();
            try {
                Incarnation.Leg leg = owner.runningLeg();
                if (!silent && leg != null) {
                    leg.scan.run(); // the owner lives: its deadlines and its heartbeat
                }
                sim.w.changed.signalAll();
            } finally {
                sim.w.lock.unlock();
            }
            // what the scan set off (a timeout's commit) is written before the watch looks: they raced, and a replay
            // could see the write at another look
            sim.quiesce();
            sim.w.lock.lock();
            try {
                rival.watch.grantLook();
                sim.w.changed.signalAll();
            } finally {
                sim.w.lock.unlock();
            }
            sim.quiesce();
        }
        sim.trail("  the watch looked " + looks + " times");
        JsonNode recovered = rival.captured();
        Throwable error = sim.ended().error();
        boolean storageFailed = rival.dead || (error != null && StorageFaults.injected(error));
        if (call != null) {
            watchCalls.watchEnded(call, owner, ownerEvents, recovered != null, storageFailed);
        }
        if (recovered == null && storageFailed) {
            failedOnStorage(owner, rival, ownersLast, error);
            return;
        }
        if (recovered == null) {
            refused(owner, rival, ownersLast, silent);
            return;
        }
        if (stored == null) {
            throw sim.fail("process " + rival.number + " took over a session storage never held");
        }
        sim.compareRecovered(stored, recovered, null, at);
        owner.stale = true;
        stale.add(owner);
        sim.w.lock.lock();
        try { // a leg of the owner that ended during the watch wrote: the watch must then have refused
            if (owner.ended != null) {
                staleEnded(owner, owner.ended.result(), owner.ended.error());
                owner.ended = null;
            }
        } finally {
            sim.w.lock.unlock();
        }
        sim.model.takenOver(owner.number);
        if (owner.dead && !owner.windDown()) { // it died inside a write of its own during the watch
            throw sim.fail("process " + owner.number + ", dead, did not wind down");
        }
        sim.stats.add(silent ? "takeovers of a silent owner" : "takeovers of a running owner whose lease had lapsed");
        if (rival.dead) { // its claim took effect, then it died: the main loop recovers in a fresh process
            sim.stats.add("takeovers whose claimer then died in a write");
        } else if (storageFailed) { // its claim took effect and reported a failure: it recovers again
            sim.stats.add("takeovers whose claim took effect but reported a storage failure");
        }
        sim.trail("  process " + rival.number + " took the session over; process " + owner.number + " runs on, stale");
    }

    private boolean watching(Incarnation rival) {
        sim.w.lock.lock();
        try {
            return rival.watch.watching();
        } finally {
            sim.w.lock.unlock();
        }
    }

    /**
     * The recovery failed on storage before its claim was whole (its journal fence failed, or took effect and then its
     * snapshot did not; or the process died inside one of them): the recovering process is dropped and the owner runs
     * on. If the fence reached storage, the owner's next journal append is refused and its leg ends with its ownership
     * lost, writing nothing more: then the session, stored RUNNING, is recovered ({@link Simulation}).
     */
    private void failedOnStorage(
            Incarnation owner, Incarnation rival, Simulation.Ended ownersLast, @Nullable Throwable error)
            throws InterruptedException {
        sim.trail("  the recovery failed on storage: "
                + (rival.dead
                        ? "process " + rival.number + " died " + rival.diedInWrite
                        : Simulation.firstLine(String.valueOf(error.getMessage()))));
        sim.stats.add("recoveries of a live owner's session that failed on storage");
        backToOwner(owner, rival, ownersLast);
    }

    /** The recovery was refused: it must have written nothing, and the owner simply runs on. */
    private void refused(Incarnation owner, Incarnation rival, Simulation.Ended ownersLast, boolean silent)
            throws InterruptedException {
        Throwable error = sim.ended().error();
        if (!(error instanceof SessionException)) {
            throw sim.fail("recoverSession in process " + rival.number + " neither took the session over nor was"
                    + " refused: "
                    + (error == null ? "no error" : error.getClass().getSimpleName() + ": " + error.getMessage()));
        }
        if (silent) {
            throw sim.fail("recoverSession was refused although process " + owner.number + " was silent for the whole"
                    + " lease: " + error.getMessage());
        }
        sim.trail("  refused: " + Simulation.firstLine(error.getMessage()));
        sim.stats.add("recoveries refused: the owner was alive");
        backToOwner(owner, rival, ownersLast);
    }

    /** The recovering process is dropped; the owner is the live process again, its leg's outcome as it is now. */
    private void backToOwner(Incarnation owner, Incarnation rival, Simulation.Ended ownersLast)
            throws InterruptedException {
        rival.kill();
        if (!rival.windDown()) {
            throw sim.fail("the recovering process " + rival.number + " did not wind down");
        }
        sim.live = owner;
        sim.w.lock.lock();
        try { // its leg may have ended meanwhile (paused, asked the user, finished): that is how it ended now
            sim.ended(owner.ended != null ? owner.ended : ownersLast);
            owner.ended = null;
        } finally {
            sim.w.lock.unlock();
        }
    }

    /**
     * A stale process that died inside a write of its own (an injected fault) is wound down, like any crashed process,
     * before the simulation acts again: its threads must not run on beside the next actions.
     */
    void windDownDead() throws InterruptedException {
        for (Incarnation s : List.copyOf(stale)) {
            if (s.dead) {
                stale.remove(s);
                sim.trail("  stale process " + s.number + " died " + s.diedInWrite);
                sim.stats.add("stale processes that died in a write");
                if (!s.windDown()) {
                    throw sim.fail("stale process " + s.number + ", dead, did not wind down");
                }
            }
        }
    }

    /** What each stale process still running is doing (for {@code -Dsim.detail}). */
    List<String> describeStale() {
        List<String> out = new ArrayList<>();
        sim.w.lock.lock();
        try {
            for (Incarnation i : stale) {
                if (!i.dead) {
                    Incarnation.Leg l = i.runningLeg();
                    out.add("  stale " + i.number + ": "
                            + (l == null
                                    ? "no leg"
                                    : "waiting=" + l.waiting + " inline=" + l.inline + " mailbox=" + l.mailbox)
                            + " parked=" + i.parked + " queued=" + i.queued.size());
                }
            }
        } finally {
            sim.w.lock.unlock();
        }
        return out;
    }

    /** How stale legs ended since the last call, in process order. */
    List<String> notes() {
        synchronized (notes) {
            List<String> out = List.copyOf(notes.values());
            notes.clear();
            return out;
        }
    }

    /** Whether a stale process still has something going on (a leg, a step, a call). */
    boolean staleRunning() {
        sim.w.lock.lock();
        try {
            for (Incarnation s : stale) {
                if (!s.dead && (s.runningLeg() != null || !s.parked.isEmpty() || !s.queued.isEmpty())) {
                    return true;
                }
            }
            return false;
        } finally {
            sim.w.lock.unlock();
        }
    }

    /** One thing happens in a stale process: a step returns or starts, its deadlines are scanned, a call reaches it. */
    void actOnStale() {
        Incarnation s;
        List<AgentCall> calls;
        int queued;
        boolean legRunning;
        sim.w.lock.lock();
        try {
            s = stale.stream()
                    .filter(i -> !i.dead && (i.runningLeg() != null || !i.parked.isEmpty() || !i.queued.isEmpty()))
                    .findFirst()
                    .orElseThrow();
            calls = s.parked.stream().sorted(Comparator.comparing(c -> c.id)).toList();
            queued = s.queued.size();
            legRunning = s.runningLeg() != null;
        } finally {
            sim.w.lock.unlock();
        }
        sim.stats.add("actions on a stale process");
        List<Runnable> options = new ArrayList<>();
        if (!calls.isEmpty()) {
            options.add(() -> {
                sim.trail("in stale process " + s.number + ":");
                sim.release(s, calls.get(sim.random.nextInt(calls.size())));
            });
        }
        if (queued > 0) {
            options.add(() -> {
                int index = sim.random.nextInt(queued);
                sim.trail("in stale process " + s.number + ": start queued step " + index + "/" + queued);
                sim.w.lock.lock();
                try {
                    s.start(s.queued.remove(index));
                } finally {
                    sim.w.lock.unlock();
                }
            });
        }
        if (legRunning) {
            options.add(sim::advance); // both processes' scanners run: the stale one's heartbeat is fenced out
        }
        dev.orchestra4j.core.internal.engine.Session copy =
                dev.orchestra4j.core.internal.engine.SimulationBridge.session(s.instance, sim.sessionId);
        if (copy != null) {
            options.add(() -> callStale(s, copy));
        }
        options.get(sim.random.nextInt(options.size())).run();
    }

    /**
     * An answer (or a resume) reaches the stale process's copy of the session: a running stale leg takes an answer
     * (and then ends lost like any of its work); a copy with no leg must not claim the session (its claim is fenced).
     */
    private void callStale(Incarnation s, dev.orchestra4j.core.internal.engine.Session copy) {
        List<dev.orchestra4j.core.user.UserQuestion> questions =
                dev.orchestra4j.core.internal.engine.SimulationBridge.questions(copy);
        sim.stats.add("calls reaching a stale process");
        java.util.concurrent.CompletableFuture<OrchestraResult> leg;
        try {
            if (!questions.isEmpty()) {
                dev.orchestra4j.core.user.UserQuestion q = questions.get(sim.random.nextInt(questions.size()));
                String answer = q.kind() == dev.orchestra4j.core.user.UserQuestion.Kind.ERROR_DECISION
                        ? "retry"
                        : "stale-answer";
                sim.trail("in stale process " + s.number + ": respond " + q.interactionId() + " '" + answer + "'");
                leg = copy.respond(q.interactionId(), answer);
            } else {
                sim.trail("in stale process " + s.number + ": resume");
                leg = copy.resume(Map.of("stale-resume", 1), false);
            }
        } catch (RuntimeException e) {
            sim.w.lock.lock();
            try {
                staleEnded(s, null, e);
            } finally {
                sim.w.lock.unlock();
            }
            return;
        }
        leg.whenComplete((r, e) -> {
            sim.w.lock.lock();
            try {
                staleEnded(s, r, e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e);
            } finally {
                sim.w.lock.unlock();
            }
        });
    }

    /**
     * A leg or a call of a stale process ended (under the lock): it may only fail, as lost to the new owner or refused.
     * Unless the process died in a write of its own (an injected crash) before any write told it it had lost the
     * session: it was wound down (its steps released, its instance closed, its writes going nowhere), and a dead
     * process has no caller to mislead, so how its leg ends says nothing; what it wrote is checked by the StorageModel.
     */
    void staleEnded(Incarnation s, @Nullable OrchestraResult r, @Nullable Throwable e) {
        String what;
        if (r != null) {
            what = r.status() + " " + r.error().orElse("");
            if (!s.dead && r.status() != RunStatus.FAILED) {
                sim.violation("a leg of stale process " + s.number + " ended " + what + " after process "
                        + sim.live.number + " took the session over");
            }
        } else {
            what = e == null ? "nothing" : e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!s.dead && !(e instanceof SessionException) && !(e instanceof dev.orchestra4j.state.StateException)) {
                sim.violation("a call in stale process " + s.number + " failed unexpectedly: " + what);
            }
        }
        sim.stats.add(
                s.dead
                        ? "legs of stale processes that died"
                        : r != null ? "stale legs ended FAILED" : "calls refused by a stale process");
        synchronized (notes) { // two stale processes may end at once, in either order: noted in process order
            notes.put(
                    s.number,
                    "  stale process " + s.number + (s.dead ? ", dead," : "") + " ended: "
                            + Simulation.firstLine(what));
        }
        sim.w.changed.signalAll();
    }
}
