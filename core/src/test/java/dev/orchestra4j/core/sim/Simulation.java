package dev.orchestra4j.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.BranchResult;
import dev.orchestra4j.core.BranchStatus;
import dev.orchestra4j.core.MutableClock;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionHandle;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.OrchestraEvent;
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
import java.util.HashMap;
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
    private final Random random;
    private final World w = new World();
    private final MutableClock clock = MutableClock.atEpoch();
    private final StorageBackend storage = StorageBackends.inMemory();
    private final String sessionId;
    private final List<Incarnation> incarnations = new ArrayList<>();
    private Incarnation live;
    private final List<String> trail = new ArrayList<>();
    private @Nullable Session lastSession;

    // guarded by w.lock
    private @Nullable OrchestraResult last;
    private @Nullable Throwable lastError;

    private int pauses;
    private int crashes;
    private int answers;
    int actions;

    private final Stats stats;

    Simulation(long seed, Stats stats) {
        this.seed = seed;
        this.stats = stats;
        this.scenario = Scenario.generate(seed);
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.sessionId = "sim-" + Long.toHexString(seed);
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
                if (done()) {
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

    private Incarnation incarnate() {
        Incarnation i = new Incarnation(incarnations.size() + 1, w, scenario, sessionId, storage, clock);
        incarnations.add(i);
        return i;
    }

    private void finished(Incarnation of, @Nullable OrchestraResult r, @Nullable Throwable e) {
        w.lock.lock();
        try {
            if (!of.dead) {
                last = r;
                lastError = e;
            }
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    private void blocking(String name, Supplier<OrchestraResult> call) {
        Incarnation of = live;
        trail(name);
        w.helper(name, () -> {
            try {
                finished(of, call.get(), null);
            } catch (RuntimeException | Error e) {
                finished(of, null, e);
            }
        });
    }

    private void quiesce() throws InterruptedException {
        if (!w.await(() -> live.quiet() && w.helpersQuiet(), QUIET_LIMIT_MILLIS)) {
            throw fail("the session did not come to rest within " + QUIET_LIMIT_MILLIS + " ms (a hang)");
        }
        Session s = SimulationBridge.session(live.instance, sessionId);
        lastSession = s != null ? s : live.session();
    }

    private boolean done() {
        w.lock.lock();
        try {
            if (live.runningLeg() != null) {
                return false;
            }
            if (lastError != null) {
                throw fail("a call failed: " + describe(lastError));
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

    // ---- choosing the next thing that happens

    private void act() throws Exception {
        List<AgentCall> calls;
        List<AgentCall> stuck;
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
            running = live.runningLeg() != null;
            status = last == null ? null : last.status();
        } finally {
            w.lock.unlock();
        }
        List<UserQuestion> questions = lastSession == null ? List.of() : SimulationBridge.questions(lastSession);
        if (DETAIL) {
            trail("  state: running=" + running + " status=" + status + " parked=" + calls + " stuck=" + stuck
                    + " queued=" + queued + " questions=" + questions.size() + " clock=" + clock.millis());
        }
        if (!running) {
            if (crashes < CRASHES && random.nextInt(4) == 0) {
                crash();
            } else if (status == RunStatus.PAUSED) {
                stats.add("resumes");
                blocking("resume", () -> live.instance.resumeSession(sessionId, Map.of("resumed-" + actions, actions)));
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
        Verdict verdict = call.interrupts > 0 && call.honoursInterrupt
                ? Verdict.INTERRUPTED
                : Verdict.random(random, scenario, call.request, call.id);
        stats.add(call.interrupts > 0 ? "late results of stuck steps" : "agent outcomes");
        stats.add("outcome " + verdict.kind());
        if (!call.onStepThread) {
            stats.add("outcomes of inline steps");
        }
        trail("release " + call.id + (call.interrupts > 0 ? " (stuck, late)" : "") + " -> " + verdict
                + (DETAIL ? " (key " + call.stepKey + ")" : ""));
        w.lock.lock();
        try {
            live.release(call, verdict);
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

    private void advance() {
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
            Incarnation.Leg leg = live.runningLeg();
            if (leg != null) {
                leg.scan.run();
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
        blocking(
                "respond " + q.interactionId() + " '" + answer + "'",
                () -> live.instance.respond(sessionId, q.interactionId(), answer));
    }

    private void crashUnchecked() {
        try {
            crash();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The process dies here (everything is at rest: no write is half done). A fresh process recovers the session from
     * storage; what it recovers must be exactly the state the dead process had when it last wrote.
     */
    private void crash() throws Exception {
        crashes++;
        Incarnation dead = live;
        JsonNode expected = dead.lastWritten();
        trail("crash incarnation " + dead.number + " after " + dead.writes() + " writes");
        dead.kill();
        if (!dead.windDown()) {
            throw fail("the crashed process's sessions did not stop when cancelled");
        }
        clock.advance(PAST_LEASE);
        live = incarnate();
        int at = actions;
        blocking("recoverSession", () -> live.instance.recoverSession(sessionId, Map.of("recovered-" + at, at)));
        quiesce();
        JsonNode recovered = live.firstWritten();
        if (expected == null || recovered == null) {
            throw fail("nothing to compare: last write before the crash " + expected + ", recovered " + recovered);
        }
        stats.add("crashes recovered and compared");
        // the recoverer adds context of its own: that is the one legitimate difference
        com.fasterxml.jackson.databind.node.ObjectNode withAdded = expected.deepCopy();
        JsonNode context = withAdded.get("context");
        (context instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o : withAdded.putObject("context"))
                .put("recovered-" + at, at);
        expected = withAdded;
        if (!expected.equals(recovered)) {
            throw fail("recovery did not reproduce the state stored before the crash:\n"
                    + JsonDiff.describe(expected, recovered));
        }
    }

    // ---- the invariants

    private RunStatus check() {
        OrchestraResult result;
        w.lock.lock();
        try {
            result = java.util.Objects.requireNonNull(last);
        } finally {
            w.lock.unlock();
        }
        RunStatus status = result.status();
        SessionSnapshot stored = new StateManager(storage)
                .loadSession(sessionId)
                .orElseThrow(() -> fail("the session is not in storage"));
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
        checkSettlements();
        checkSteps();
        return status;
    }

    /** Within one process each branch settles at most once; a branch recovered settled never settles again. */
    private void checkSettlements() {
        for (Incarnation i : incarnations) {
            Map<String, Integer> settled = new HashMap<>();
            List<OrchestraEvent> events;
            synchronized (i.events) {
                events = List.copyOf(i.events);
            }
            for (OrchestraEvent e : events) {
                if (e instanceof OrchestraEvent.BranchSettled s) {
                    if (settled.merge(String.valueOf(s.branchId()), 1, Integer::sum) > 1) {
                        throw fail("branch " + s.branchId() + " settled twice in process " + i.number);
                    }
                    if (i.number > 1 && i.recoveredSettled().contains(s.branchId())) {
                        throw fail("branch " + s.branchId() + " was recovered settled and settled again in process "
                                + i.number);
                    }
                }
            }
        }
        if (lastSession != null && last != null && last.status() != RunStatus.WAITING_FOR_USER) {
            SimulationBridge.branchStatuses(lastSession).forEach((id, s) -> {
                if (!BranchStatus.valueOf(s).isSettled()) {
                    throw fail("branch " + id + " is " + s + " in the final state");
                }
            });
        }
    }

    /**
     * No committed step runs twice: two calls of the same step (same branch, agent, input, attempt and error) are
     * allowed only when the first one's process crashed before it wrote that call's outcome.
     */
    private void checkSteps() {
        Map<String, AgentCall> previous = new HashMap<>();
        for (AgentCall call : w.calls) {
            AgentCall before = previous.put(call.stepKey, call);
            if (before == null) {
                continue;
            }
            Incarnation was = incarnations.get(before.incarnation - 1);
            boolean uncommitted = before.resolvedAtWrite < 0 || was.writesAtCrash() <= before.resolvedAtWrite;
            if (before.incarnation >= call.incarnation || !uncommitted) {
                throw fail("step ran twice: " + before + " (outcome " + before.verdict + ", written: " + !uncommitted
                        + ") and again as " + call);
            }
        }
    }

    // ---- reporting

    /** Everything the simulation did, in order: equal for two runs of one seed. */
    List<String> trail() {
        return List.copyOf(trail);
    }

    private void trail(String what) {
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

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
