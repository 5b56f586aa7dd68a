package dev.orchestra4j.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.MutableClock;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.internal.engine.Session;
import dev.orchestra4j.core.internal.engine.SimulationBridge;
import dev.orchestra4j.core.internal.engine.SimulationHooks;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One simulated process: an {@link OrchestraInstance} with its own executor, agents and view of the shared storage.
 * Agent steps start only when the simulation starts them and return only what (and when) it decides; the session's
 * deadlines are checked only when it moves the clock. A crash {@link #kill() freezes} the process: its later writes
 * go nowhere, and its threads are then wound down without touching the shared storage.
 */
final class Incarnation implements SimulationHooks, Agent {

    private static final ThreadLocal<Boolean> STEP_THREAD = ThreadLocal.withInitial(() -> false);
    /** Set while a heartbeat write runs (on the simulation's thread, inside a scan). */
    private static final ThreadLocal<Boolean> HEARTBEAT = ThreadLocal.withInitial(() -> false);
    /** The leg that dispatched the step running on this step thread. */
    private static final ThreadLocal<Integer> STEP_LEG = ThreadLocal.withInitial(() -> -1);

    /** One leg of a session as its coordinator reports it. */
    static final class Leg {
        final Runnable scan;
        /** A number unique in the case: the calls it dispatched and the writes it made carry it. */
        final int ordinal;

        boolean waiting;

        @Nullable
        Collection<?> mailbox;
        /** The call running inline on the leg's driving thread, while that thread still drives. */
        @Nullable
        AgentCall inline;

        boolean ended;

        Leg(Runnable scan, int ordinal) {
            this.scan = scan;
            this.ordinal = ordinal;
        }

        boolean quiet() {
            return ended || inline != null || (waiting && mailbox != null && mailbox.isEmpty());
        }
    }

    final int number;
    final World w;
    private final Scenario scenario;
    final OrchestraInstance instance;
    final String sessionId;
    final List<OrchestraEvent> events = Collections.synchronizedList(new ArrayList<>());

    // guarded by w.lock
    final List<Runnable> queued = new ArrayList<>();
    final List<AgentCall> parked = new ArrayList<>();
    private int running;
    private final Set<Thread> zombies = new HashSet<>();
    private final Map<String, ArrayDeque<Leg>> legs = new HashMap<>();
    volatile boolean dead;
    /** The live user of this process's questions and follow-ups. */
    final LiveUser user;
    /** A recoverSession of this process watching another owner's lease. */
    final LeaseWatch watch;
    /** Another process took the session over from this one, which runs on: none of its writes may take effect. */
    volatile boolean stale;
    /** How this process's leg ended while another process was recovering the session (under the lock), else null. */
    Simulation.@Nullable Ended ended;

    private int handOffs;
    private int interruptsHonoured;
    private int interruptsIgnored;

    private final StorageModel model;
    private final MutableClock clock;
    /** The shared storage as this process sees it (with the case's faults). */
    private final ProcessStorage storage;

    /** Why the process died inside a write (a fault), else null. */
    volatile @Nullable String diedInWrite;

    /**
     * Where this process's events start a new timeline of the session: its start, and every reload of the session
     * (recovery, restore). Each carries the branches already settled in the state loaded there.
     */
    record Mark(int events, Set<String> settled) {}

    // guarded by "this" (a monitor, so a thread blocked on it is BLOCKED, never mistaken for a waiting helper)
    private @Nullable Session session;
    private boolean capturing;
    private @Nullable JsonNode captured;
    private final List<Mark> marks = new ArrayList<>();

    Incarnation(
            int number,
            World world,
            Scenario scenario,
            String sessionId,
            StorageBackend shared,
            MutableClock clock,
            StorageModel model,
            StorageFaults faults) {
        this.number = number;
        this.w = world;
        this.scenario = scenario;
        this.sessionId = sessionId;
        this.model = model;
        this.storage = new ProcessStorage(this, shared, model, faults);
        this.clock = clock;
        this.user = new LiveUser(world, () -> dead);
        this.watch = new LeaseWatch(world, () -> dead);
        if (number == 1) {
            marks.add(new Mark(0, Set.of()));
        }
        AgentRegistry registry = AgentRegistry.create();
        scenario.topology().nodes().stream().filter(n -> n.isAgent()).forEach(n -> registry.register(n.name(), this));
        StateManager manager = StateManager.builder(storage)
                .clock(clock)
                .autoSaveInterval(scenario.autoSave())
                .build();
        OrchestraInstance.Builder builder = OrchestraInstance.builder();
        if (scenario.registeredCondition()) {
            builder.condition(Scenario.REGISTERED, Scenario::registeredHolds);
        }
        this.instance = builder.topology(scenario.topology())
                .agents(registry)
                .executionConfig(scenario.executionConfig())
                .errorConfig(ErrorHandlingConfig.builder()
                        .maxRetries(scenario.maxRetries())
                        .baseDelay(Scenario.BASE_DELAY)
                        .maxDelay(Duration.ofSeconds(4))
                        .jitter(0)
                        .build())
                .communicationConfig(
                        switch (scenario.userMode()) {
                            case DURABLE -> CommunicationConfig.durable();
                            case DURABLE_WITH_FOLLOW_UPS -> CommunicationConfig.durable(user);
                            case LIVE_WITH_FOLLOW_UPS -> CommunicationConfig.of(user);
                        })
                .allowFollowUps(scenario.userMode() != Scenario.UserMode.DURABLE)
                .followUpTimeout(Scenario.FOLLOW_UP_TIMEOUT)
                .stateManager(manager)
                .listener(events::add)
                .awaitListeners(true)
                .maxSteps(scenario.maxSteps())
                .clock(clock)
                .stepExecutor(this)
                .build();
    }

    // ---- SimulationHooks: what the engine tells this process

    @Override
    public void execute(Runnable command) {
        w.lock.lock();
        try {
            Leg dispatching = runningLeg();
            int leg = dispatching == null ? -1 : dispatching.ordinal;
            Runnable step = () -> {
                STEP_LEG.set(leg);
                command.run();
            };
            if (dead) {
                start(step);
            } else {
                queued.add(step);
            }
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    /** Starts a queued step on its own thread (under the lock). */
    void start(Runnable step) {
        running++;
        Thread.ofVirtual().name("sim-step-" + number).start(() -> {
            STEP_THREAD.set(true);
            try {
                step.run();
            } finally {
                w.lock.lock();
                try {
                    running--;
                    w.changed.signalAll();
                } finally {
                    w.lock.unlock();
                }
            }
        });
    }

    @Override
    public void legStarting(String id, Runnable scan) {
        w.lock.lock();
        try {
            legs.computeIfAbsent(id, k -> new ArrayDeque<>()).addLast(new Leg(scan, ++w.legs));
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    @Override
    public <T> T take(String id, BlockingQueue<T> mailbox) throws InterruptedException {
        w.lock.lock();
        try {
            Leg leg = newest(id);
            try {
                while (true) {
                    T signal = mailbox.poll();
                    if (signal != null) {
                        leg.waiting = false;
                        return signal;
                    }
                    leg.waiting = true;
                    leg.mailbox = mailbox;
                    w.changed.signalAll();
                    // whoever posts is a thread the simulation counts busy: it signals when it is done (or the
                    // simulation's own thread posted, and its wait for rest signals first)
                    w.changed.await();
                }
            } catch (InterruptedException e) {
                leg.waiting = false;
                throw e;
            }
        } finally {
            w.lock.unlock();
        }
    }

    @Override
    public void handOff(String id, Runnable driver) {
        w.lock.lock();
        try {
            handOffs++;
            Leg leg = newest(id);
            leg.inline = null;
            leg.waiting = false;
            // The new driver starts once whoever holds the lock (a deadline scan) has posted everything it had.
            startDriver(driver);
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    /**
     * The leg's first driver: started here like every later one, so every thread of the leg is known. Calls that waited
     * for this leg to start (a lease turn) hand it what they carry (an answer) before it runs: one interleaving, always
     * the same, instead of a race between them and the driver.
     */
    @Override
    public void legDriver(String id, Runnable driver) {
        w.lock.lock();
        try {
            Set<Thread> waited = new HashSet<>(w.awaitingTurn.keySet());
            startDriver(() -> {
                w.lock.lock();
                try {
                    while (waited.stream().anyMatch(t -> w.helpers.contains(t) && !w.helpersQuiet(t))) {
                        w.changed.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    w.lock.unlock();
                }
                driver.run();
            });
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    /**
     * Starts a driver thread (under the lock). It is watched by its leg until it hands the driving role on; a former
     * driver released from an agent call (a zombie) is busy until it has posted what it had and ended.
     */
    private void startDriver(Runnable driver) {
        Thread.ofVirtual().name("sim-driver-" + number).start(() -> {
            w.lock.lock();
            w.lock.unlock();
            try {
                driver.run();
            } finally {
                w.lock.lock();
                try {
                    zombies.remove(Thread.currentThread());
                    w.changed.signalAll();
                } finally {
                    w.lock.unlock();
                }
            }
        });
    }

    /** A call waits for another call of this process to start or end a leg: quiet until {@code turn} completes. */
    @Override
    public void awaitTurn(String id, java.util.concurrent.CompletableFuture<?> turn) throws InterruptedException {
        turn.whenComplete((v, e) -> w.signal());
        w.lock.lock();
        try {
            w.awaitingTurn.put(Thread.currentThread(), turn);
            w.changed.signalAll();
            try {
                while (!turn.isDone()) {
                    w.changed.await();
                }
            } finally {
                w.awaitingTurn.remove(Thread.currentThread());
                w.changed.signalAll();
            }
        } finally {
            w.lock.unlock();
        }
    }

    @Override
    public void legEnded(String id) {
        w.lock.lock();
        try {
            for (Leg leg : legs.getOrDefault(id, new ArrayDeque<>())) {
                if (!leg.ended) {
                    leg.ended = true;
                    break;
                }
            }
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    /**
     * A heartbeat found due by a scan: the simulation only scans from its own thread, one action at a time, so the
     * write happens right here, before anything the scan posted is taken (no thread of its own races the leg).
     */
    @Override
    public void heartbeat(String id, Runnable beat) {
        HEARTBEAT.set(true);
        try {
            beat.run();
        } finally {
            HEARTBEAT.set(false);
        }
    }

    /** Step durations on the virtual clock, so that the state (and what storage holds) replays byte for byte. */
    @Override
    public long nanoTime() {
        return clock.millis() * 1_000_000L;
    }

    /** Instead of parking in real time, the watch waits until the simulation lets it look again. */
    @Override
    public void leaseWatch(String id) throws InterruptedException {
        watch.await();
    }

    private Leg newest(String id) {
        ArrayDeque<Leg> all = legs.get(id);
        if (all == null || all.isEmpty()) {
            throw new IllegalStateException("no leg of session '" + id + "' was announced");
        }
        return all.getLast();
    }

    /** The leg in progress, if any (under the lock). */
    @Nullable
    Leg runningLeg() {
        ArrayDeque<Leg> all = legs.get(sessionId);
        return all == null || all.isEmpty() || all.getLast().ended ? null : all.getLast();
    }

    /** Whether nothing in this process can move until the simulation acts (under the lock). */
    boolean quiet() {
        if (running > 0) {
            return false;
        }
        if (!zombies.isEmpty()) {
            return false;
        }
        for (AgentCall call : parked) {
            if (call.thread.isInterrupted()) {
                return false;
            }
        }
        for (ArrayDeque<Leg> all : legs.values()) {
            for (Leg leg : all) {
                if (!leg.quiet()) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- Agent: every agent of the topology is this one; the simulation decides what each call does

    @Override
    public AgentResponse act(AgentRequest request) throws Exception {
        AgentCall call = arrive(request);
        if (call == null) {
            return AgentResponse.finish("after the crash");
        }
        return awaitVerdict(call).apply(request);
    }

    private @Nullable AgentCall arrive(AgentRequest request) {
        w.lock.lock();
        try {
            if (dead) {
                return null;
            }
            boolean step = STEP_THREAD.get();
            long mix =
                    scenario.seed() * 0x9E3779B97F4A7C15L ^ (request.branchId().hashCode() * 31L + request.step());
            int leg = step ? STEP_LEG.get() : newest(request.sessionId()).ordinal;
            AgentCall call =
                    new AgentCall(number, leg, model.index(), request, Thread.currentThread(), step, (mix & 3) != 0);
            parked.add(call);
            w.calls.add(call);
            if (step) {
                running--;
            } else {
                newest(request.sessionId()).inline = call;
            }
            w.changed.signalAll();
            return call;
        } finally {
            w.lock.unlock();
        }
    }

    private Verdict awaitVerdict(AgentCall call) {
        lockKeepingInterrupt();
        try {
            while (true) {
                Verdict verdict = call.verdict;
                if (verdict != null) {
                    return verdict;
                }
                if (Thread.interrupted()) {
                    // It returns only when the simulation releases it: at once for an agent that honours the
                    // interrupt, maybe much later for one that ignores it (a zombie the session must move past).
                    // Either way its return is one action at a time, like every other outcome.
                    call.interrupts++;
                    if (dead) {
                        resolve(call, Verdict.INTERRUPTED);
                        return Verdict.INTERRUPTED;
                    }
                    if (call.interrupts == 1) {
                        if (call.honoursInterrupt) {
                            interruptsHonoured++;
                        } else {
                            interruptsIgnored++;
                        }
                    }
                    w.changed.signalAll();
                }
                w.lock.unlock();
                try {
                    LockSupport.park(this);
                } finally {
                    lockKeepingInterrupt();
                }
            }
        } finally {
            w.lock.unlock();
        }
    }

    /**
     * Takes the lock without ever clearing this thread's interrupt flag: {@code lock()} clears it while it waits (and
     * sets it again later), and in that window the simulation would take an interrupted call for a quiet one.
     */
    private void lockKeepingInterrupt() {
        while (!w.lock.tryLock()) {
            Thread.yield();
        }
    }

    /** Lets a parked call return {@code verdict} (under the lock). */
    void release(AgentCall call, Verdict verdict) {
        resolve(call, verdict);
        LockSupport.unpark(call.thread);
    }

    private void resolve(AgentCall call, Verdict verdict) {
        call.verdict = verdict;
        call.resolvedAtWrite = model.index();
        call.parked = false;
        parked.remove(call);
        if (call.onStepThread) {
            running++;
        } else {
            ArrayDeque<Leg> all = legs.get(call.request.sessionId());
            Leg leg = all == null ? null : all.getLast();
            if (leg != null && leg.inline == call) {
                leg.inline = null; // the driver goes on
            } else {
                zombies.add(call.thread); // a former driver: it posts its outcome and ends
            }
        }
        w.changed.signalAll();
    }

    @Override
    public void replayed(String id, int inputs) {
        w.lock.lock();
        try {
            replays++;
            replayedInputs += inputs;
        } finally {
            w.lock.unlock();
        }
    }

    private int replays;
    private int replayedInputs;

    /** Adds what this process saw to {@code stats}. */
    void count(Stats stats) {
        w.lock.lock();
        try {
            for (int i = 0; i < replays; i++) {
                stats.add("recoveries replayed through the machine");
            }
            for (int i = 0; i < replayedInputs; i++) {
                stats.add("journaled inputs replayed");
            }
            for (int i = 0; i < handOffs; i++) {
                stats.add("driver hand-offs (inline step overran)");
            }
            for (int i = 0; i < interruptsHonoured; i++) {
                stats.add("interrupted steps that gave up");
            }
            for (int i = 0; i < interruptsIgnored; i++) {
                stats.add("interrupted steps that ignored it (zombies)");
            }
        } finally {
            w.lock.unlock();
        }
        synchronized (events) {
            for (OrchestraEvent e : events) {
                if (e instanceof OrchestraEvent.TimeoutFired t) {
                    stats.add("timeouts " + t.kind());
                } else if (e instanceof OrchestraEvent.BarrierFired b) {
                    stats.add("barriers fired " + b.kind());
                } else if (e instanceof OrchestraEvent.RetryScheduled) {
                    stats.add("retries");
                }
            }
        }
    }

    // ---- the crash

    /** The process dies: from now on it writes nothing the next process can see, and no call of it counts. */
    void kill() {
        w.lock.lock();
        try {
            dead = true;
            w.changed.signalAll();
        } finally {
            w.lock.unlock();
        }
    }

    /** Winds the dead process down (its sessions are cancelled into storage nobody reads); false if it hangs. */
    boolean windDown() throws InterruptedException {
        w.lock.lock();
        try {
            for (AgentCall call : List.copyOf(parked)) {
                release(call, new Verdict(Verdict.Kind.FINISH, "after the crash", List.of(), ""));
            }
            queued.forEach(this::start);
            queued.clear();
        } finally {
            w.lock.unlock();
        }
        instance.close();
        return w.await(
                () -> {
                    if (!quiet()) {
                        return false;
                    }
                    for (ArrayDeque<Leg> all : legs.values()) {
                        for (Leg leg : all) {
                            if (!leg.ended) {
                                return false;
                            }
                        }
                    }
                    return true;
                },
                10_000);
    }

    // ---- storage as this process sees it

    /** This process's session object as of its last write (it stays readable after the session left memory). */
    synchronized @Nullable Session session() {
        return session;
    }

    /**
     * The next snapshot this process writes (a claim's: what it recovered) is captured, with a mark that its events
     * start a new timeline there.
     */
    synchronized void captureNext() {
        capturing = true;
        captured = null;
    }

    synchronized @Nullable JsonNode captured() {
        return captured;
    }

    /** The session was reloaded here (a restore): its events start a new timeline with {@code session}'s state. */
    void reloaded(Session session) {
        synchronized (this) {
            this.session = session;
        }
        mark(session);
    }

    private void mark(Session session) {
        Set<String> settled = settled(session);
        int at;
        synchronized (events) {
            at = events.size();
        }
        synchronized (this) {
            marks.add(new Mark(at, settled));
        }
    }

    /** The session is about to be read back from storage here: its events start a timeline from {@code stored}. */
    void reloading(@Nullable JsonNode stored) {
        Set<String> settled = new HashSet<>();
        if (stored != null) {
            for (JsonNode b : stored.path("branches")) {
                if (dev.orchestra4j.core.BranchStatus.valueOf(b.path("status").asText())
                        .isSettled()) {
                    settled.add(b.path("id").asText());
                }
            }
        }
        int at;
        synchronized (events) {
            at = events.size();
        }
        synchronized (this) {
            marks.add(new Mark(at, settled));
        }
    }

    synchronized List<Mark> marks() {
        return List.copyOf(marks);
    }

    private static Set<String> settled(Session session) {
        Set<String> out = new HashSet<>();
        SimulationBridge.branchStatuses(session).forEach((id, status) -> {
            if (dev.orchestra4j.core.BranchStatus.valueOf(status).isSettled()) {
                out.add(id);
            }
        });
        return out;
    }

    /** The leg of this process writing now (-1 when none runs or it has ended). */
    int writingLeg() {
        w.lock.lock();
        try {
            Leg leg = runningLeg();
            return leg == null ? -1 : leg.ordinal;
        } finally {
            w.lock.unlock();
        }
    }

    /**
     * A write of the session (snapshot or journal) is about to be made: a pending capture takes the live state now.
     * Returns the live state (null when the session is not in memory).
     */
    @Nullable
    JsonNode liveState(boolean snapshot) {
        Session live = SimulationBridge.session(instance, sessionId);
        JsonNode state = live == null ? null : SimulationBridge.encode(live);
        boolean mark;
        synchronized (this) {
            if (live != null) {
                session = live;
            }
            mark = snapshot && capturing && live != null;
            if (mark) {
                capturing = false;
                captured = state;
            }
        }
        if (mark) {
            mark(live);
        }
        return state;
    }

    static boolean isHeartbeat() {
        return HEARTBEAT.get();
    }

    /** The {@code index}-th write of the session this process makes from now on meets {@code fault}. */
    void arm(int index, StorageFaults.Fault fault) {
        storage.arm(index, fault);
    }

    /** It died inside a write (an injected fault). */
    void die(String where) {
        diedInWrite = where;
        kill();
    }
}
