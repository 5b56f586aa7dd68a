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
import dev.orchestra4j.state.JournalEntry;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StoredValue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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

    /** One leg of a session as its coordinator reports it. */
    static final class Leg {
        final Runnable scan;
        boolean waiting;

        @Nullable
        Collection<?> mailbox;
        /** The call running inline on the leg's driving thread, while that thread still drives. */
        @Nullable
        AgentCall inline;

        boolean ended;

        Leg(Runnable scan) {
            this.scan = scan;
        }

        boolean quiet() {
            return ended || inline != null || (waiting && mailbox != null && mailbox.isEmpty());
        }
    }

    final int number;
    private final World w;
    private final Scenario scenario;
    final OrchestraInstance instance;
    final String sessionId;
    private final StorageBackend shared;
    final List<OrchestraEvent> events = Collections.synchronizedList(new ArrayList<>());

    // guarded by w.lock
    final List<Runnable> queued = new ArrayList<>();
    final List<AgentCall> parked = new ArrayList<>();
    private int running;
    private final Set<Thread> zombies = new HashSet<>();
    private final Map<String, ArrayDeque<Leg>> legs = new HashMap<>();
    volatile boolean dead;
    private int handOffs;
    private int interruptsHonoured;
    private int interruptsIgnored;

    // guarded by "this" (a monitor, so a thread blocked on it is BLOCKED, never mistaken for a waiting helper)
    private long writes;
    private long writesAtCrash = -1;
    private @Nullable JsonNode lastWritten;
    private @Nullable JsonNode firstWritten;
    private Set<String> firstSettled = Set.of();
    private @Nullable Session session;

    Incarnation(
            int number, World world, Scenario scenario, String sessionId, StorageBackend shared, MutableClock clock) {
        this.number = number;
        this.w = world;
        this.scenario = scenario;
        this.sessionId = sessionId;
        this.shared = shared;
        AgentRegistry registry = AgentRegistry.create();
        scenario.topology().nodes().stream().filter(n -> n.isAgent()).forEach(n -> registry.register(n.name(), this));
        StateManager manager = StateManager.builder(new Storage())
                .clock(clock)
                .autoSaveInterval(scenario.autoSave())
                .build();
        this.instance = OrchestraInstance.builder()
                .topology(scenario.topology())
                .agents(registry)
                .executionConfig(scenario.executionConfig())
                .errorConfig(ErrorHandlingConfig.builder()
                        .maxRetries(scenario.maxRetries())
                        .baseDelay(Scenario.BASE_DELAY)
                        .maxDelay(Duration.ofSeconds(4))
                        .jitter(0)
                        .build())
                .communicationConfig(CommunicationConfig.durable())
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
    public void execute(Runnable step) {
        w.lock.lock();
        try {
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
            legs.computeIfAbsent(id, k -> new ArrayDeque<>()).addLast(new Leg(scan));
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
                    w.changed.await(100, TimeUnit.MICROSECONDS);
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
            Thread.ofVirtual().name("sim-driver-" + number).start(() -> {
                w.lock.lock();
                w.lock.unlock();
                driver.run();
            });
            w.changed.signalAll();
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
        zombies.removeIf(t -> !t.isAlive());
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
            AgentCall call = new AgentCall(number, request, Thread.currentThread(), step, (mix & 3) != 0);
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
        call.resolvedAtWrite = writes();
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

    /** Adds what this process saw to {@code stats}. */
    void count(Stats stats) {
        w.lock.lock();
        try {
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
        synchronized (this) {
            writesAtCrash = writes;
        }
        w.lock.lock();
        try {
            dead = true;
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

    synchronized long writes() {
        return writes;
    }

    synchronized long writesAtCrash() {
        return writesAtCrash;
    }

    synchronized @Nullable JsonNode lastWritten() {
        return lastWritten;
    }

    synchronized @Nullable JsonNode firstWritten() {
        return firstWritten;
    }

    /**
     * A write of this process succeeded: the session's live state at this moment is what storage now holds — unless
     * it moved step records to the recording (issue #19), which happens right before a snapshot and commits nothing.
     */
    private void wrote(String key) {
        if (dead || Thread.currentThread().getName().startsWith("orchestra4j-heartbeat")) {
            return; // a heartbeat re-writes the last snapshot from another thread; the state is read elsewhere
        }
        if (key.startsWith("recordings/")) {
            return;
        }
        Session session = SimulationBridge.session(instance, sessionId);
        JsonNode live = session == null ? null : SimulationBridge.encode(session);
        synchronized (this) {
            writes++;
            if (session != null) {
                this.session = session;
            }
            if (live != null) {
                lastWritten = live;
                if (firstWritten == null) {
                    firstWritten = live;
                    firstSettled = settled(session);
                }
            }
        }
    }

    /** The branches settled in the state this process first wrote (for a recovering process: what it recovered). */
    synchronized Set<String> recoveredSettled() {
        return firstSettled;
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

    /**
     * The shared storage until the crash. After it, the dead process's writes succeed but go nowhere (as if into a
     * disk nobody reads again), so its wind-down neither disturbs the next process nor logs failures; it reads on.
     */
    private final class Storage implements StorageBackend {
        @Override
        public Optional<StoredValue> read(String key) {
            return shared.read(key);
        }

        @Override
        public long write(String key, byte[] value) {
            if (dead) {
                return 1;
            }
            long version = shared.write(key, value);
            wrote(key);
            return version;
        }

        @Override
        public OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            if (dead) {
                return OptionalLong.of(expectedVersion + 1);
            }
            OptionalLong result = shared.compareAndSet(key, expectedVersion, value);
            if (result.isPresent()) {
                wrote(key);
            }
            return result;
        }

        @Override
        public boolean delete(String key) {
            return !dead && shared.delete(key);
        }

        @Override
        public boolean compareAndDelete(String key, long expectedVersion) {
            return !dead && shared.compareAndDelete(key, expectedVersion);
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            if (dead) {
                return expectedLastSequence + entries.size();
            }
            long sequence = shared.appendJournal(key, expectedLastSequence, entries);
            wrote(key);
            return sequence;
        }

        @Override
        public List<JournalEntry> readJournal(String key, long afterSequence) {
            return shared.readJournal(key, afterSequence);
        }

        @Override
        public long lastJournalSequence(String key) {
            return shared.lastJournalSequence(key);
        }

        @Override
        public void truncateJournal(String key, long throughSequence) {
            if (!dead) {
                shared.truncateJournal(key, throughSequence);
            }
        }

        @Override
        public List<String> list(String prefix) {
            return shared.list(prefix);
        }

        @Override
        public int expireOlderThan(Duration age) {
            return dead ? 0 : shared.expireOlderThan(age);
        }

        @Override
        public String name() {
            return "simulated";
        }
    }
}
