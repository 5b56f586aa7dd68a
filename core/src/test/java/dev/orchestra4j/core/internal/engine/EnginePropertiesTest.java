package dev.orchestra4j.core.internal.engine;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.BranchResult;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.ConvergencePolicy;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * SPEC §10: random valid topologies (forks, cycles with exits, conditional and error edges, {@code <~>} conversations,
 * {@code max_agents}; rendezvous nodes once {@link #RENDEZVOUS} is on) run with random agent behaviour, fully
 * concurrent. Whatever happens, the run terminates within its limits, every branch settles exactly once and no barrier
 * is left open.
 */
final class EnginePropertiesTest {

    private static final int MAX_STEPS = 40;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(10);
    private static final String[] LABELS = {"x", "y"};
    /** Whether generated topologies may contain rendezvous nodes (ROOT now waits for every open rendezvous). */
    private static final boolean RENDEZVOUS = true;

    /** A topology, the policy its barriers use, and the seed every agent decision is drawn from. */
    record Scenario(Topology topology, ConvergencePolicy policy, long seed) {
        @Override
        public String toString() {
            return "seed=" + seed + " policy=" + policy + " edges="
                    + topology.edges().stream().map(e -> e.notation()).toList() + " rules="
                    + topology.rules() + " rendezvous=" + topology.analysis().rendezvousNodes();
        }
    }

    @Property(tries = 200)
    void run_randomTopologyAndBehaviour_terminatesSettlesEveryBranchOnceAndClosesEveryBarrier(
            @ForAll("scenarios") Scenario scenario) throws Exception {
        SettlementLog log = new SettlementLog();
        Session session = Session.create(spec(scenario, log));

        OrchestraResult result = session.start().get(30, SECONDS);
        Statistics.label("status").collect(result.status());
        Statistics.label("forked")
                .collect(result.executionTrace().stream()
                        .anyMatch(s -> s.action() == dev.orchestra4j.core.TraceStep.Action.PARALLEL));
        Statistics.label("rendezvous fired")
                .collect(result.branchResults().stream()
                        .anyMatch(b ->
                                !b.trace().isEmpty() && b.trace().getFirst().input() instanceof List<?>));

        assertThat(result.status())
                .as(result.error().orElse(""))
                .isIn(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.TIMED_OUT);
        assertThat(result.totalSteps()).isLessThanOrEqualTo(MAX_STEPS);
        assertThat(result.branchResults()).allSatisfy(b -> assertThat(b.status().isSettled())
                .as("%s is %s", b.branchId(), b.status())
                .isTrue());
        assertThat(session.state().openBarriers()).as("barriers left open").isEmpty();
        assertThat(log.await()).as("listener saw RunCompleted").isTrue();
        assertThat(log.settledMoreThanOnce())
                .as("branches settled more than once")
                .isEmpty();
        assertThat(log.settled.keySet())
                .as("every spawned branch settled, and only those")
                .isEqualTo(log.spawned)
                .isEqualTo(result.branchResults().stream()
                        .map(BranchResult::branchId)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Journal replay under random crashes: the owner's storage dies after a random number of journal appends, a new
     * owner recovers from snapshot + journal and finishes. Whatever happened, the recovered run terminates, settles
     * every branch, closes every barrier, and its trace is the pre-crash trace continued: no entry lost or repeated.
     */
    @Property(tries = 100)
    void recover_randomCrashPoint_replaysTheJournalIntoAConsistentRun(
            @ForAll("scenarios") Scenario scenario, @ForAll("crashPoints") int appendsBeforeCrash) throws Exception {
        DyingBackend storage = new DyingBackend(appendsBeforeCrash);
        dev.orchestra4j.state.StateManager manager = new dev.orchestra4j.state.StateManager(storage);
        Session first = Session.create(spec(scenario, new SettlementLog(), Optional.of(manager), Clock.systemUTC()));
        try {
            first.start().get(30, SECONDS);
        } catch (java.util.concurrent.ExecutionException e) { // C5: a dying storage ends the leg with its error
            assertThat(e.getCause()).isInstanceOf(dev.orchestra4j.state.StateException.class);
        }
        storage.revive();
        Optional<dev.orchestra4j.state.SessionSnapshot> stored = manager.loadSession("prop-" + scenario.seed());
        Statistics.label("crashed mid-run")
                .collect(stored.map(s -> s.status().equals("RUNNING")).orElse(false));
        if (stored.isEmpty() || !stored.get().status().equals("RUNNING")) {
            return; // finished (or never saved) before the crash point: nothing to recover
        }
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1)); // the dead owner's lease has lapsed
        Session recovered =
                Session.restore(spec(scenario, new SettlementLog(), Optional.of(manager), later), stored.get());

        OrchestraResult result = recovered.resume(Map.of(), true).get(30, SECONDS);

        assertThat(result.status())
                .as(result.error().orElse(""))
                .isIn(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.TIMED_OUT);
        assertThat(result.branchResults()).allSatisfy(b -> assertThat(b.status().isSettled())
                .as("%s is %s", b.branchId(), b.status())
                .isTrue());
        assertThat(recovered.state().openBarriers()).as("barriers left open").isEmpty();
        assertThat(result.executionTrace())
                .extracting(dev.orchestra4j.core.TraceStep::index)
                .as("trace indexes after replay")
                .isEqualTo(java.util.stream.IntStream.range(
                                0, result.executionTrace().size())
                        .boxed()
                        .toList());
    }

    @Provide
    Arbitrary<Integer> crashPoints() {
        return Arbitraries.integers().between(0, 12);
    }

    /** In-memory storage whose every write fails once a number of journal appends were made, like a dead process. */
    private static final class DyingBackend extends dev.orchestra4j.state.ForwardingStorageBackend {
        private final AtomicInteger appendsLeft;
        private volatile boolean dead;

        DyingBackend(int appends) {
            super(dev.orchestra4j.state.StorageBackends.inMemory());
            appendsLeft = new AtomicInteger(appends);
        }

        void revive() {
            dead = false;
            appendsLeft.set(Integer.MAX_VALUE);
        }

        private void alive() {
            if (dead) {
                throw new dev.orchestra4j.state.StateException("the process died");
            }
        }

        @Override
        public long write(String key, byte[] value) {
            alive();
            return super.write(key, value);
        }

        @Override
        public java.util.OptionalLong compareAndSet(String key, long expectedVersion, byte[] value) {
            alive();
            return super.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public boolean delete(String key) {
            alive();
            return super.delete(key);
        }

        @Override
        public boolean compareAndDelete(String key, long expectedVersion) {
            alive();
            return super.compareAndDelete(key, expectedVersion);
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            alive();
            if (appendsLeft.decrementAndGet() < 0) {
                dead = true;
                throw new dev.orchestra4j.state.StateException("the process died");
            }
            return super.appendJournal(key, expectedLastSequence, entries);
        }

        @Override
        public void truncateJournal(String key, long throughSequence) {
            alive();
            super.truncateJournal(key, throughSequence);
        }

        @Override
        public String name() {
            return "dying";
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<ConvergencePolicy> policies =
                Arbitraries.of(ConvergencePolicy.STRICT, ConvergencePolicy.MAJORITY, ConvergencePolicy.ANY);
        return Combinators.combine(Arbitraries.longs(), policies, Arbitraries.longs())
                .as((shape, policy, seed) -> new Scenario(topology(new Random(shape)), policy, seed));
    }

    private static SessionSpec spec(Scenario scenario, OrchestraListener listener) {
        return spec(scenario, listener, Optional.empty(), Clock.systemUTC());
    }

    private static SessionSpec spec(
            Scenario scenario,
            OrchestraListener listener,
            Optional<dev.orchestra4j.state.StateManager> stateManager,
            Clock clock) {
        AgentRegistry registry = AgentRegistry.create();
        Agent agent = new RandomAgent(scenario.seed());
        scenario.topology().nodes().stream().filter(n -> n.isAgent()).forEach(n -> registry.register(n.name(), agent));
        return new SessionSpec(
                "prop-" + scenario.seed(),
                "task",
                Map.of(),
                Map.of(),
                scenario.topology(),
                registry,
                ExecutionConfig.builder()
                        .runTimeout(RUN_TIMEOUT)
                        .convergencePolicy(scenario.policy())
                        .build(),
                ErrorHandlingConfig.builder()
                        .maxRetries(1)
                        .baseDelay(Duration.ofMillis(1))
                        .maxDelay(Duration.ofMillis(2))
                        .build(),
                CommunicationConfig.none(),
                MAX_STEPS,
                false,
                Duration.ofSeconds(1),
                List.of(listener),
                false,
                List.of(),
                Map.of(),
                stateManager,
                clock,
                task -> Thread.ofVirtual().start(task));
    }

    // ---- topologies: a chain keeps every agent reachable and finishing; extra edges add forks, joins and cycles

    private static Topology topology(Random random) {
        int n = 2 + random.nextInt(4);
        Topology.Builder builder = Topology.builder();
        Set<String> used = new HashSet<>();
        oneWay(builder, used, "Start", "A0", "");
        for (int i = 0; i + 1 < n; i++) {
            oneWay(builder, used, "A" + i, "A" + (i + 1), "");
        }
        oneWay(builder, used, "A" + (n - 1), "End", "");
        Set<String> errorSources = new HashSet<>();
        for (int extra = random.nextInt(2 * n + 1); extra > 0; extra--) {
            String a = "A" + random.nextInt(n);
            String b = "A" + random.nextInt(n);
            switch (random.nextInt(8)) {
                case 0 -> oneWay(builder, used, a, b, "");
                case 1 -> twoWay(builder, used, a, b, " <-> ");
                case 2 -> twoWay(builder, used, a, b, " <~> ");
                case 3 -> oneWay(builder, used, a, b, " [when " + LABELS[random.nextInt(2)] + "]");
                case 4 -> oneWay(builder, used, a, "End", "");
                case 5 -> oneWay(builder, used, "Start", b, "");
                case 6 -> {
                    if (!a.equals(b) && errorSources.add(a)) {
                        builder.edge(a + " -> " + b + " [on error]");
                    }
                }
                default -> builder.convergence(b, ConvergenceMode.values()[random.nextInt(3)]);
            }
        }
        if (!RENDEZVOUS) {
            for (int i = 0; i < n; i++) {
                builder.convergence("A" + i, ConvergenceMode.DISABLED);
            }
        }
        if (random.nextInt(4) == 0) {
            builder.rule("max_agents(" + (1 + random.nextInt(3)) + ")");
        }
        return builder.build();
    }

    private static void oneWay(Topology.Builder builder, Set<String> used, String from, String to, String condition) {
        if (!from.equals(to) && used.add(from + ">" + to)) {
            builder.edge(from + " -> " + to + condition);
        }
    }

    private static void twoWay(Topology.Builder builder, Set<String> used, String a, String b, String arrow) {
        if (!a.equals(b) && !used.contains(a + ">" + b) && !used.contains(b + ">" + a)) {
            used.add(a + ">" + b);
            used.add(b + ">" + a);
            builder.edge(a + arrow + b);
        }
    }

    // ---- behaviour: every decision is drawn from the seed, the agent, the branch, the step and the attempt

    private record RandomAgent(long seed) implements Agent {
        @Override
        public AgentResponse act(AgentRequest r) {
            SplittableRandom random = new SplittableRandom(seed
                    ^ (31L * r.agent().hashCode() + 1_000_003L * r.branchId().hashCode())
                    ^ ((long) r.step() << 32)
                    ^ r.attempt());
            List<String> peers = r.peers();
            int roll = random.nextInt(100);
            if (peers.isEmpty() && roll < 40) {
                return AgentResponse.finish("no peers at " + r.agent());
            }
            if (roll < 25) {
                return AgentResponse.handOff(pick(peers, random), r.agent() + "@" + r.step());
            }
            if (roll < 40) {
                List<Invocation> invocations = new ArrayList<>();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    invocations.add(Invocation.of(pick(peers, random), "part " + i));
                }
                return AgentResponse.parallel(invocations);
            }
            if (roll < 58) {
                return AgentResponse.finish(r.agent() + " done at " + r.step());
            }
            if (roll < 68) {
                return AgentResponse.reply("labelled").label(LABELS[random.nextInt(2)]);
            }
            if (roll < 75) {
                return AgentResponse.reply("plain");
            }
            if (roll < 80) {
                return AgentResponse.reply(Map.of("status", LABELS[random.nextInt(2)]));
            }
            if (roll < 86) {
                return AgentResponse.fail("random failure");
            }
            if (roll < 92) {
                throw new IllegalStateException("random exception");
            }
            if (roll < 96) {
                return AgentResponse.handOff("End", "escalated by " + r.agent());
            }
            return AgentResponse.handOff("Nobody", "a hallucinated target");
        }

        private static String pick(List<String> peers, SplittableRandom random) {
            return peers.get(random.nextInt(peers.size()));
        }
    }

    /** Counts branch spawns and settlements from the event stream; complete once RunCompleted arrived. */
    private static final class SettlementLog implements OrchestraListener {
        final Set<String> spawned = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> settled = new ConcurrentHashMap<>();
        private final CountDownLatch completed = new CountDownLatch(1);

        @Override
        public void onEvent(OrchestraEvent event) {
            switch (event) {
                case OrchestraEvent.BranchSpawned e -> spawned.add(e.branchId());
                case OrchestraEvent.BranchSettled e ->
                    settled.computeIfAbsent(e.branchId(), id -> new AtomicInteger())
                            .incrementAndGet();
                case OrchestraEvent.RunCompleted e -> completed.countDown();
                default -> {}
            }
        }

        boolean await() throws InterruptedException {
            return completed.await(10, SECONDS);
        }

        List<String> settledMoreThanOnce() {
            return settled.entrySet().stream()
                    .filter(e -> e.getValue().get() != 1)
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }
}
