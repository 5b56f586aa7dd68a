package dev.orchestra4j.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.BranchResult;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.MutableClock;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionHandle;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.internal.engine.Session;
import dev.orchestra4j.core.internal.engine.SimulationBridge;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One simulated case, driven from its seed: the session runs in a simulated process whose every step start, agent
 * outcome, clock move, pause, answer, cancellation and crash is chosen here, one at a time, each only once everything
 * the previous one set off has come to rest. Then the case's invariants are checked.
 */
final class Simulation {

    /** A violated invariant (or a run that would not end), with what led to it. */
    static final class Failure extends AssertionError {
        Failure(String message) {
            super(message);
        }
    }

    static final int MAX_ACTIONS = 2_000;
    /** Whether storage faults are injected in cases where a second process competes for the session too. */
    static final boolean COMPETING_FAULTS = !Boolean.getBoolean("sim.noCompetingFaults");
    /** With {@code -Dsim.detail=true} the trail names each released call's full step key. */
    static final boolean DETAIL = Boolean.getBoolean("sim.detail");

    static final int PAUSES = 3;
    static final int CRASHES = 2;
    static final int ANSWERS = 6;
    static final long QUIET_LIMIT_MILLIS = 20_000;
    /** How long a recoverer waits past the dead owner's last write before its lease has surely lapsed. */
    static final Duration PAST_LEASE = Duration.ofSeconds(4);

    final long seed;
    final Scenario scenario;
    final Random random;
    final World w = new World();
    final MutableClock clock = MutableClock.atEpoch();
    final StorageBackend storage = StorageBackends.inMemory();
    final StorageModel model = new StorageModel();
    private final StorageFaults faults;
    final String sessionId;
    private final List<Incarnation> incarnations = new ArrayList<>();
    volatile Incarnation live;
    private final List<String> trail = new ArrayList<>();
    private @Nullable Session lastSession;

    // guarded by w.lock
    private @Nullable OrchestraResult last;
    private @Nullable Throwable lastError;

    private int pauses;
    private int crashes;
    private int answers;
    private int restores;
    int actions;

    /** The checkpoints taken so far. */
    private final Checkpoints checkpoints = new Checkpoints(this);
    /** What helper threads report (a checkpoint taken, a fault injected), added to the trail once at rest. */
    private final java.util.Queue<String> notes = w.notes;
    /** Broken invariants seen off the main thread (a leg's result), raised once at rest. */
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    /** A leg or a call ended with an injected storage failure: the session must be recovered (or resumed). */
    private boolean pendingRecovery;
    /** A checkpoint was restored and the session not resumed since. */
    private boolean restoredPending;
    /** The last leg's final write took effect but reported a failure: storage holds how the session ended. */
    private boolean endedInStorage;

    final Stats stats;
    /** Second processes recovering the session while its owner lives (no storage faults in those cases). */
    final Competition competition;

    Simulation(long seed, Stats stats) {
        this.seed = seed;
        this.stats = stats;
        this.scenario = Scenario.generate(seed);
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.sessionId = "sim-" + Long.toHexString(seed);
        this.faults = scenario.storageFaults() ? new StorageFaults(seed, 25, 2, 1) : StorageFaults.none();
        this.competition = new Competition(
                this, (COMPETING_FAULTS || !scenario.storageFaults()) && new Random(seed ^ 0xC0A7E57L).nextInt(3) == 0);
    }

    /** Runs the case; throws a {@link Failure} naming the broken invariant. Returns the final status (and why). */
    String run() throws Exception {
        try {
            live = incarnate();
            SessionHandle handle = live.instance.start("task of " + sessionId, Map.of("session_id", sessionId));
            Incarnation starter = live;
            handle.result().whenComplete((r, e) -> finished(starter, r, e));
            while (true) {
                quiesce();
                if (live.dead) {
                    recoverFromTornWrite();
                    continue;
                }
                if (done()) {
                    if (restoreAtEnd()) {
                        continue;
                    }
                    break;
                }
                if (++actions > MAX_ACTIONS) {
                    throw fail("the run did not end within " + MAX_ACTIONS + " simulated actions");
                }
                act();
            }
            RunStatus status = check();
            for (Incarnation i : incarnations) {
                i.count(stats);
            }
            String why = last == null ? "" : last.error().orElse("");
            why = why.replaceAll("[0-9]+", "#").replaceAll("'[^']*'", "'_'");
            return status + (why.isEmpty() ? "" : ": " + why.substring(0, Math.min(70, why.length())));
        } finally {
            for (Incarnation i : incarnations) {
                if (!i.dead) {
                    i.kill();
                    i.windDown();
                }
            }
        }
    }

    Incarnation incarnate() {
        Incarnation i = new Incarnation(incarnations.size() + 1, w, scenario, sessionId, storage, clock, model, faults);
        incarnations.add(i);
        return i;
    }

    /**
     * A call sent to a recovering process during its lease watch ended with a leg's result (under the lock). When that
     * process owns the session now, the result is the session's latest outcome: the recovered leg may have suspended
     * before the answer reached it (the answer then runs the session on in a leg of its own, and the recovery's result
     * is the suspension), or have taken it (both calls then end with the same leg). Both orders are the engine's to
     * choose and depend on the threads' timing; in the first, the recovery's result alone would be stale.
     */
    void watchCallEnded(Incarnation of, OrchestraResult r) {
        if (of == live && !of.stale && !of.dead) {
            last = r;
            lastError = null;
        }
    }

    private void finished(Incarnation of, @Nullable OrchestraResult r, @Nullable Throwable e) {
        w.lock.lock();
        try {
            if (of.stale) {
                competition.staleEnded(of, r, e);
            } else if (of != live) { // an owner whose session another process is recovering: kept for it
                of.ended = new Ended(r, e);
            } else if (!of.dead) {
                last = r;
                lastError = e;
                if (r != null && r.error().orElse("").contains(StorageFaults.MESSAGE)) {
                    violations.add("a storage failure ended a leg " + r.status() + " instead of ending it with the"
                            + " storage error: " + r.error().orElse(""));
                }
            }
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    /**
     * A call made on a helper thread (it may block: reading the session from storage, watching another owner's lease,
     * waiting for another call's leg to start); the helper ends as soon as the call has handed back the leg's future, and
     * its result is noted when the leg ends.
     */
    void blocking(String name, Supplier<java.util.concurrent.CompletableFuture<OrchestraResult>> call) {
        Incarnation of = live;
        trail(name);
        w.helper(name, () -> {
            try {
                call.get().whenComplete((r, e) -> finished(of, r, World.unwrap(e)));
            } catch (RuntimeException | Error e) {
                finished(of, null, e);
            }
        });
    }

    /**
     * A call made on this thread when the process holds the session in memory, so that whatever it hands the running
     * leg (an answer) is in the leg's mailbox, and whatever it claims is written, when this returns; its result is
     * noted when the leg ends. Otherwise (the process must first read the session from storage) {@link #blocking}.
     */
    private void calling(
            String name,
            java.util.function.Function<Session, java.util.concurrent.CompletableFuture<OrchestraResult>> call) {
        Incarnation of = live;
        Session session = SimulationBridge.session(of.instance, sessionId);
        if (session == null) {
            blocking(name, () -> call.apply(SimulationBridge.known(of.instance, sessionId)));
            return;
        }
        trail(name);
        java.util.concurrent.CompletableFuture<OrchestraResult> leg;
        try {
            leg = call.apply(session);
        } catch (RuntimeException | Error e) {
            finished(of, null, e);
            return;
        }
        leg.whenComplete((r, e) -> finished(of, r, World.unwrap(e)));
    }

    void quiesce() throws InterruptedException {
        if (!w.await(
                () -> incarnations.stream().allMatch(i -> i.dead || i.quiet()) && w.helpersQuiet(),
                QUIET_LIMIT_MILLIS)) {
            throw fail("the session did not come to rest within " + QUIET_LIMIT_MILLIS + " ms (a hang)");
        }
        Session s = SimulationBridge.session(live.instance, sessionId);
        lastSession = s != null ? s : live.session();
        for (String note; (note = notes.poll()) != null; ) {
            trail(note);
        }
        competition.notes().forEach(this::trail);
        competition.windDownDead();
        if (!violations.isEmpty()) {
            throw fail(violations.getFirst());
        }
        String stale = model.staleWrite();
        if (stale != null) {
            throw fail("a process wrote the session after another took it over: " + stale);
        }
    }

    private boolean done() {
        w.lock.lock();
        try {
            if (live.runningLeg() != null || competition.staleRunning()) {
                return false;
            }
            if (lastError != null) {
                if (!StorageFaults.injected(lastError)) {
                    throw fail("a call failed: " + describe(lastError));
                }
                trail("ended by a storage failure: " + firstLine(lastError.getMessage()));
                stats.add("legs or calls ended by a storage failure");
                lastError = null;
                pendingRecovery = true;
                return false;
            }
            if (last != null && last.isOwnershipLost()) { // a recovery fenced it out, then failed on storage
                trail("the leg lost its session: " + firstLine(last.error().orElse("")));
                stats.add("legs that lost their session to a failed recovery");
                last = null;
                pendingRecovery = true;
                return false;
            }
            if (pendingRecovery || restoredPending) {
                return false;
            }
            if (endedInStorage) {
                return true;
            }
            if (last == null) {
                throw fail("no leg runs and none has ended");
            }
            return switch (last.status()) {
                case PAUSED -> false;
                case WAITING_FOR_USER -> answers >= ANSWERS;
                default -> true;
            };
        } finally {
            w.lock.unlock();
        }
    }

    /** A broken invariant seen off this thread: raised once at rest. */
    void violation(String what) {
        violations.add(what);
    }

    /** How the last leg or call ended: kept while a second process tries to recover the session. */
    record Ended(@Nullable OrchestraResult result, @Nullable Throwable error) {}

    Ended ended() {
        w.lock.lock();
        try {
            return new Ended(last, lastError);
        } finally {
            w.lock.unlock();
        }
    }

    void ended(Ended ended) {
        w.lock.lock();
        try {
            last = ended.result();
            lastError = ended.error();
        } finally {
            w.lock.unlock();
        }
    }

    // ---- choosing the next thing that happens

    private void act() throws Exception {
        List<AgentCall> calls;
        List<AgentCall> stuck;
        List<LiveUser.Asked> asked;
        int queued;
        boolean running;
        RunStatus status;
        w.lock.lock();
        try {
            calls = live.parked.stream()
                    .filter(c -> c.interrupts == 0)
                    .sorted(Comparator.comparing(c -> c.id))
                    .toList();
            stuck = live.parked.stream()
                    .filter(c -> c.interrupts > 0)
                    .sorted(Comparator.comparing(c -> c.id))
                    .toList();
            queued = live.queued.size();
            asked = List.copyOf(live.user.asked);
            running = live.runningLeg() != null;
            status = last == null ? null : last.status();
        } finally {
            w.lock.unlock();
        }
        List<UserQuestion> questions = lastSession == null ? List.of() : SimulationBridge.questions(lastSession);
        if (DETAIL) {
            competition.describeStale().forEach(this::trail);
            trail("  state: running=" + running + " status=" + status + " parked=" + calls + " stuck=" + stuck
                    + " queued=" + queued + " questions=" + questions.size() + " clock=" + clock.millis());
        }
        if (competition.staleRunning() && (!running || random.nextInt(3) == 0)) {
            competition.actOnStale();
            return;
        }
        if (!running) {
            if (crashes < CRASHES && random.nextInt(4) == 0) {
                crash();
            } else if (pendingRecovery
                    && scenario.checkpoints()
                    && checkpoints.count < Checkpoints.MAX
                    && random.nextInt(4) == 0) {
                checkpoints.atRest(); // of a session storage still holds RUNNING: its snapshot and journal
            } else if (pendingRecovery) {
                afterStorageFailure();
            } else if (restoredPending) {
                resume();
            } else if (scenario.checkpoints() && checkpoints.count < Checkpoints.MAX && random.nextInt(6) == 0) {
                checkpoints.atRest();
            } else if (scenario.checkpoints() && canRestore() && random.nextInt(6) == 0) {
                restore();
            } else if (status == RunStatus.PAUSED) {
                resume();
            } else {
                respond(questions);
            }
            return;
        }
        Map<Runnable, Integer> options = new LinkedHashMap<>();
        if (!calls.isEmpty()) {
            options.put(() -> release(calls.get(random.nextInt(calls.size()))), 12);
        }
        if (queued > 0) {
            options.put(() -> startStep(queued), 7);
        }
        List<AgentCall> givingUp =
                stuck.stream().filter(c -> c.honoursInterrupt).toList();
        List<AgentCall> zombies =
                stuck.stream().filter(c -> !c.honoursInterrupt).toList();
        if (!givingUp.isEmpty()) {
            options.put(() -> release(givingUp.get(random.nextInt(givingUp.size()))), 10);
        }
        if (!zombies.isEmpty()) {
            options.put(() -> release(zombies.get(random.nextInt(zombies.size()))), 1);
        }
        if (!questions.isEmpty() && answers < ANSWERS) {
            options.put(() -> respond(questions), 2);
        }
        if (!asked.isEmpty()) {
            options.put(() -> answerOnChannel(asked), 4);
        }
        options.put(this::advance, calls.isEmpty() && queued == 0 ? 8 : 2);
        if (pauses < PAUSES) {
            options.put(this::pause, 1);
        }
        if (crashes < CRASHES) {
            options.put(this::crashUnchecked, 1);
        }
        if (random.nextInt(40) == 0) {
            options.put(this::cancel, 1);
        }
        if (competition.mayContest()) { // more often with a question pending: it may be answered during the watch
            options.put(competition::contestUnchecked, questions.isEmpty() ? 2 : 6);
        }
        if (scenario.checkpoints() && checkpoints.count < Checkpoints.MAX) {
            options.put(checkpoints::whileRunning, 1);
        }
        int total = options.values().stream().mapToInt(Integer::intValue).sum();
        int pick = random.nextInt(total);
        for (Map.Entry<Runnable, Integer> option : options.entrySet()) {
            pick -= option.getValue();
            if (pick < 0) {
                option.getKey().run();
                return;
            }
        }
    }

    private void release(AgentCall call) {
        release(live, call);
    }

    /** Lets {@code call}, parked in process {@code of}, return what the seed decides. */
    void release(Incarnation of, AgentCall call) {
        Verdict verdict = call.interrupts > 0 && call.honoursInterrupt
                ? Verdict.INTERRUPTED
                : Verdict.random(random, scenario, call.request, call.id);
        stats.add(call.interrupts > 0 ? "late results of stuck steps" : "agent outcomes");
        stats.add("outcome " + verdict.kind());
        if (verdict.kind() == Verdict.Kind.REPLY
                && scenario.registeredCondition()
                && scenario.judges(call.request.agent())) {
            stats.add(
                    verdict.payload().endsWith(Scenario.CONDITION_FAILS)
                            ? "replies a registered condition failed on"
                            : "replies judged by a registered condition");
        }
        if (!call.onStepThread) {
            stats.add("outcomes of inline steps");
        }
        trail("release " + call.id + (call.interrupts > 0 ? " (stuck, late)" : "") + " -> " + verdict
                + (DETAIL ? " (key " + call.stepKey + ")" : ""));
        w.lock.lock();
        try {
            of.release(call, verdict);
        } finally {
            w.lock.unlock();
        }
    }

    private void startStep(int queued) {
        int index = random.nextInt(queued);
        trail("start queued step " + index + "/" + queued);
        w.lock.lock();
        try {
            live.start(live.queued.remove(index));
        } finally {
            w.lock.unlock();
        }
    }

    void advance() {
        Duration by =
                switch (random.nextInt(5)) {
                    case 0 -> Duration.ofMillis(1 + random.nextInt(999));
                    case 1 -> Scenario.STEP_TIMEOUT.plusMillis(random.nextInt(2_000));
                    case 2 -> Scenario.BASE_DELAY.multipliedBy(1 + random.nextInt(4));
                    case 3 -> Duration.ofSeconds(1 + random.nextInt(30));
                    default -> Duration.ofSeconds(60 + random.nextInt(90));
                };
        stats.add("clock moves");
        trail("advance the clock by " + by);
        clock.advance(by);
        // The scan runs under the lock: the coordinator sees what it posts all at once, as one event.
        w.lock.lock();
        try {
            for (Incarnation i : incarnations) { // the live process, and any taken-over one that runs on
                Incarnation.Leg leg = i.dead ? null : i.runningLeg();
                if (leg != null) {
                    leg.scan.run();
                }
            }
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    private void pause() {
        pauses++;
        boolean paused = live.instance.pauseSession(sessionId, "simulated pause");
        stats.add(paused ? "pauses" : "pauses refused");
        trail("pause -> " + paused);
        w.signal();
    }

    private void cancel() {
        stats.add("cancels");
        trail("cancel");
        live.instance.cancelSession(sessionId);
        w.signal();
    }

    private void respond(List<UserQuestion> questions) {
        if (questions.isEmpty()) {
            throw fail("the session waits for the user but has no pending question");
        }
        UserQuestion q = questions.get(random.nextInt(questions.size()));
        String answer = q.kind() == UserQuestion.Kind.ERROR_DECISION
                ? List.of("retry", "skip", "abort", "perhaps").get(random.nextInt(4))
                : "answer-" + answers;
        answers++;
        stats.add("answers");
        boolean idle;
        w.lock.lock();
        try {
            idle = live.runningLeg() == null;
        } finally {
            w.lock.unlock();
        }
        if (idle) {
            live.captureNext(); // an answer to a suspended session claims it: a new timeline starts there
        }
        calling(
                "respond " + q.interactionId() + " '" + answer + "'",
                session -> session.respond(q.interactionId(), answer));
    }

    /**
     * The live user answers one question the channel was asked: a follow-up prompt with a new request (at most {@link
     * #FOLLOW_UP_ROUNDS} of them) or "done", anything else like an answer through {@code respond}. Once the answers
     * are spent, follow-ups are ended and questions still get an answer, so that the run can end.
     */
    private void answerOnChannel(List<LiveUser.Asked> asked) {
        LiveUser.Asked a = asked.get(random.nextInt(asked.size()));
        UserQuestion q = a.question();
        String answer;
        if (q.kind() == UserQuestion.Kind.FOLLOW_UP) {
            answer = followUpRounds < FOLLOW_UP_ROUNDS && answers < ANSWERS && random.nextBoolean()
                    ? "follow-up " + ++followUpRounds
                    : "done";
            stats.add(answer.equals("done") ? "follow-ups ended" : "follow-up rounds");
        } else if (q.kind() == UserQuestion.Kind.ERROR_DECISION) {
            answer = List.of("retry", "skip", "abort").get(random.nextInt(3));
        } else {
            answer = "live-answer-" + answers;
        }
        answers++;
        stats.add("answers on the live channel");
        trail("answer " + q.interactionId() + " on the channel '" + answer + "'");
        w.lock.lock();
        try {
            live.user.asked.remove(a);
        } finally {
            w.lock.unlock();
        }
        a.answer().complete(answer);
        w.signal();
    }

    static final int FOLLOW_UP_ROUNDS = 2;
    private int followUpRounds;

    private void crashUnchecked() {
        try {
            crash();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void resume() {
        stats.add("resumes");
        restoredPending = false;
        if (SimulationBridge.session(live.instance, sessionId) == null) {
            // not in memory (a failed restore that may have taken effect released it): the resume reads storage,
            // which starts a new timeline even if the process dies before its claim's snapshot marks one
            live.reloading(model.stored());
        }
        live.captureNext(); // its claim starts a new timeline of the session (marks where, with what settled)
        int at = actions;
        calling("resume", session -> session.resume(Map.of("resumed-" + at, at), false));
    }

    /**
     * The process dies here (everything is at rest: no write is half done). A fresh process recovers the session from
     * storage; what it recovers must be exactly the state storage was last given.
     */
    private void crash() throws Exception {
        crashes++;
        Incarnation dead = live;
        trail("crash incarnation " + dead.number + " at write " + model.index());
        dead.kill();
        if (!dead.windDown()) {
            throw fail("the crashed process's sessions did not stop when cancelled");
        }
        recoverInNewProcess();
    }

    /** The process died inside a write (an injected fault): a fresh process recovers what storage holds. */
    private void recoverFromTornWrite() throws Exception {
        Incarnation dead = live;
        trail("incarnation " + dead.number + " died " + dead.diedInWrite);
        stats.add("crashes inside a write");
        if (!dead.windDown()) {
            throw fail("the crashed process's sessions did not stop when cancelled");
        }
        recoverInNewProcess();
    }

    /** The last leg's outcome no longer applies (a new process, a restore): forgotten under the world's lock. */
    private void forgetLastOutcome() {
        w.lock.lock();
        try {
            last = null;
            lastError = null;
        } finally {
            w.lock.unlock();
        }
    }

    private void recoverInNewProcess() throws Exception {
        clock.advance(PAST_LEASE);
        live = incarnate();
        forgetLastOutcome();
        pendingRecovery = false;
        restoredPending = false;
        endedInStorage = false; // storage, read next, says whether it has ended (a restore may have revived it)
        if (new StateManager(storage).loadSession(sessionId).isEmpty()) {
            trail("nothing in storage: the process died before it first wrote the session");
            stats.add("sessions lost before their first write");
            endedInStorage = true;
            return;
        }
        String stored = storedStatus();
        if (!resumable(stored)) {
            trail("storage says " + stored + ": nothing to recover");
            endedInStorage = true;
            return;
        }
        recover();
    }

    /**
     * {@code recoverSession} in the live process; the state it recovers must be exactly the state storage was last
     * given (plus the context the call adds).
     */
    private void recover() throws InterruptedException {
        int at = actions;
        JsonNode stored = model.stored();
        // a copy this process holds may carry checkpoints taken at rest since storage last heard of it: its claim
        // writes them (the one other legitimate difference)
        Session held = SimulationBridge.session(live.instance, sessionId);
        JsonNode heldCheckpoints =
                held == null ? null : SimulationBridge.encode(held).get("checkpointIds");
        live.reloading(stored);
        live.captureNext();
        pendingRecovery = false;
        restoredPending = false;
        Incarnation in = live;
        blocking("recoverSession", () -> SimulationBridge.known(in.instance, sessionId)
                .resume(Map.of("recovered-" + at, at), true));
        quiesce();
        if (live.dead) {
            return; // it died inside a write of the recovery: the main loop recovers again
        }
        JsonNode recovered = live.captured();
        if (recovered == null) {
            Throwable error;
            w.lock.lock();
            try {
                error = lastError;
            } finally {
                w.lock.unlock();
            }
            if (error != null && StorageFaults.injected(error)) {
                return; // its claim failed before writing: it is tried again
            }
            throw fail("nothing to compare: the recovery failed (" + error + "); storage held " + stored);
        }
        if (stored == null) {
            throw fail("recovered a session storage never held: " + recovered);
        }
        stats.add("crashes recovered and compared");
        compareRecovered(stored, recovered, heldCheckpoints, at);
    }

    /** The state a recovery at action {@code at} claimed must be exactly what storage held (plus its own context). */
    void compareRecovered(JsonNode stored, JsonNode recovered, @Nullable JsonNode heldCheckpoints, int at) {
        // the recoverer adds context of its own: that is the one legitimate difference
        com.fasterxml.jackson.databind.node.ObjectNode expected = stored.deepCopy();
        JsonNode context = expected.get("context");
        (context instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o : expected.putObject("context"))
                .put("recovered-" + at, at);
        if (heldCheckpoints != null) {
            expected.set("checkpointIds", heldCheckpoints);
        }
        if (!expected.equals(recovered)) {
            throw fail("recovery did not reproduce the state stored before it:\n"
                    + JsonDiff.describe(expected, recovered));
        }
    }

    /**
     * A leg or a call ended with an injected storage failure; storage is back. The session is recovered when storage
     * still holds it RUNNING (in this process: it forgot the leg's uncommitted state), resumed when it holds it
     * suspended (the failure hit a resume's claim), and over when its final write took effect.
     */
    private void afterStorageFailure() throws InterruptedException {
        if (new StateManager(storage).loadSession(sessionId).isEmpty()) {
            trail("nothing in storage: the session's first write failed");
            stats.add("sessions lost before their first write");
            pendingRecovery = false;
            endedInStorage = true;
            return;
        }
        String stored = storedStatus();
        trail("storage says " + stored);
        if (stored.equals("RUNNING")) {
            stats.add("recovered after a storage failure");
            clock.advance(PAST_LEASE);
            recover();
        } else if (resumable(stored)) {
            pendingRecovery = false;
            resume();
        } else {
            pendingRecovery = false;
            endedInStorage = true;
        }
    }

    private String storedStatus() {
        return new StateManager(storage)
                .loadSession(sessionId)
                .orElseThrow(() -> fail("the session is not in storage"))
                .status();
    }

    private static boolean resumable(String status) {
        return List.of("RUNNING", "PAUSED", "WAITING_FOR_USER", "CREATED").contains(status);
    }

    // ---- checkpoints

    static final int MAX_RESTORES = 2;

    private boolean canRestore() {
        synchronized (checkpoints.ids) {
            return restores < MAX_RESTORES && !checkpoints.ids.isEmpty() && !pendingRecovery;
        }
    }

    /** At the end of a run, now and then the user goes back to a checkpoint and resumes from there. */
    private boolean restoreAtEnd() throws InterruptedException {
        if (!scenario.checkpoints() || !canRestore() || random.nextInt(3) != 0) {
            return false;
        }
        restore();
        return true;
    }

    /**
     * Restores a checkpoint taken earlier; the restored session must hold exactly the state storage held when the
     * checkpoint was taken. Steps committed after it may then run again; nothing else may.
     */
    private void restore() throws InterruptedException {
        restores++;
        String id;
        synchronized (checkpoints.ids) {
            id = checkpoints.ids.get(random.nextInt(checkpoints.ids.size()));
        }
        trail("restore " + id);
        stats.add("restores");
        model.restoring(id);
        try {
            live.instance.restoreCheckpoint(id);
        } catch (RuntimeException e) {
            if (!StorageFaults.injected(e)) {
                throw fail("restoring " + id + " failed: " + describe(e));
            }
            // it may have taken effect: storage says what to do next (recover, resume, or nothing)
            trail("  restore failed: " + firstLine(e.getMessage()));
            stats.add("restores that failed on storage");
            pendingRecovery = true;
            endedInStorage = false;
            return;
        } finally {
            model.restoring(null);
        }
        if (live.dead) {
            return; // it died inside a write of the restore: the main loop recovers
        }
        Session restored = SimulationBridge.session(live.instance, sessionId);
        if (restored == null) {
            throw fail("the restored session is not in memory");
        }
        JsonNode expected = model.checkpointState(id);
        JsonNode actual = SimulationBridge.encode(restored);
        if (expected == null || !expected.equals(actual)) {
            throw fail("restoring " + id + " did not reproduce the state stored when it was taken:\n"
                    + (expected == null ? "(no state known)" : JsonDiff.describe(expected, actual)));
        }
        live.reloaded(restored);
        forgetLastOutcome();
        String status =
                new StateManager(storage).loadSession(sessionId).orElseThrow().status();
        if (java.util.Set.of("COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED").contains(status)) {
            // copied at rest after a final write that reported failure but took effect: an ended session
            trail("  the checkpoint holds the session " + status + ": nothing to resume");
            stats.add("restores of a checkpoint of an ended session");
            endedInStorage = true;
            return;
        }
        endedInStorage = false;
        restoredPending = true;
    }

    // ---- the invariants

    private RunStatus check() {
        OrchestraResult result;
        w.lock.lock();
        try {
            result = last;
        } finally {
            w.lock.unlock();
        }
        java.util.Optional<SessionSnapshot> loaded = new StateManager(storage).loadSession(sessionId);
        if (loaded.isEmpty() && result == null && endedInStorage && model.index() == 0) {
            Invariants.settlements(this, incarnations);
            Invariants.steps(this);
            return RunStatus.CANCELLED; // the session never reached storage: nothing was committed
        }
        SessionSnapshot stored = loaded.orElseThrow(() -> fail("the session is not in storage"));
        if (result == null) {
            // the final write took effect but reported a failure: storage says how the run ended
            if (!endedInStorage || resumable(stored.status())) {
                throw fail("no result, and storage says " + stored.status());
            }
            Invariants.settlements(this, incarnations);
            Invariants.steps(this);
            return RunStatus.valueOf(stored.status());
        }
        RunStatus status = result.status();
        if (!stored.status().equals(status.name())) {
            throw fail("the run ended " + status + " but storage says " + stored.status());
        }
        if (status == RunStatus.WAITING_FOR_USER) {
            if (result.pendingQuestions().isEmpty()) {
                throw fail("WAITING_FOR_USER without a pending question");
            }
        } else {
            for (BranchResult b : result.branchResults()) {
                if (!b.status().isSettled()) {
                    throw fail(b.branchId() + " is " + b.status() + " after the run ended " + status);
                }
            }
            if (lastSession != null
                    && !SimulationBridge.openBarriers(lastSession).isEmpty()) {
                throw fail("barriers left open after the run ended " + status + ": "
                        + SimulationBridge.openBarriers(lastSession));
            }
            if (lastSession != null) {
                SimulationBridge.branchStatuses(lastSession).forEach((id, s) -> {
                    if (!BranchStatus.valueOf(s).isSettled()) {
                        throw fail("branch " + id + " is " + s + " in the final state");
                    }
                });
            }
        }
        if (result.totalSteps() > scenario.maxSteps()) {
            throw fail(result.totalSteps() + " steps ran, more than maxSteps " + scenario.maxSteps());
        }
        List<TraceStep> trace = result.executionTrace();
        for (int i = 0; i < trace.size(); i++) {
            if (trace.get(i).index() != i) {
                throw fail("trace entry " + i + " has index " + trace.get(i).index());
            }
        }
        Invariants.settlements(this, incarnations);
        Invariants.steps(this);
        competition.watchCalls.check();
        return status;
    }

    // ---- reporting

    /**
     * The case's outcome as one value, equal for two runs of one seed: how it ended, every action taken, every branch's
     * final status, and every write that reached storage with what it wrote.
     */
    String fingerprint(String outcome) {
        Map<String, String> statuses = lastSession == null ? Map.of() : SimulationBridge.branchStatuses(lastSession);
        return outcome + " | actions " + Integer.toHexString(trail.hashCode()) + "/" + trail.size() + " | branches "
                + statuses + " | storage " + model.fingerprint();
    }

    /** Everything the simulation did, in order: equal for two runs of one seed. */
    List<String> trail() {
        return List.copyOf(trail);
    }

    void trail(String what) {
        trail.add(actions + ": " + what);
    }

    Failure fail(String message) {
        StringBuilder out = new StringBuilder(message);
        OrchestraResult result = last;
        if (result != null) {
            out.append("\n  last result: ")
                    .append(result.status())
                    .append(" ")
                    .append(result.error().orElse(""));
        }
        out.append("\n  scenario: ").append(scenario);
        out.append("\n  last actions:");
        trail.subList(Math.max(0, trail.size() - (DETAIL ? 500 : 25)), trail.size())
                .forEach(t -> out.append("\n    ").append(t));
        return new Failure(out.toString());
    }

    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String firstLine(@Nullable String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
