package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class OrchestraInstanceTest {

    private final StorageBackend storage = StorageBackends.inMemory();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private Agent counted(String name, Agent agent) {
        return r -> {
            calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return agent.act(r);
        };
    }

    private OrchestraInstance instance(Topology topology, AgentRegistry agents) {
        return instance(topology, agents, storage);
    }

    private static OrchestraInstance instance(Topology topology, AgentRegistry agents, StorageBackend storage) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .stateManager(new StateManager(storage))
                .build();
    }

    /** Hub forks W1 and W2; W1 hands off to W1b, which returns to the hub. */
    private static Topology forkTopology() {
        return Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("W1 -> W1b")
                .edge("W1b -> Hub")
                .edge("Hub -> End")
                .build();
    }

    private AgentRegistry forkAgents(CountDownLatch started, CountDownLatch release) {
        return AgentRegistry.create()
                .register(
                        "Hub",
                        counted(
                                "Hub",
                                r -> r.input() instanceof List<?> arrivals
                                        ? AgentResponse.finish("joined "
                                                + r.arrivals().stream()
                                                        .map(Arrival::value)
                                                        .toList())
                                        : AgentResponse.parallel(Invocation.of("W1", "x"), Invocation.of("W2", "y"))))
                .register("W1", counted("W1", r -> {
                    started.countDown();
                    release.await();
                    return AgentResponse.handOff("W1b", "w1");
                }))
                .register("W2", counted("W2", r -> {
                    started.countDown();
                    release.await();
                    return AgentResponse.finish("w2");
                }))
                .register("W1b", counted("W1b", r -> AgentResponse.handOff("Hub", r.input() + "+b")));
    }

    @Test
    void pauseMidFork_resumedInAnotherInstance_givesSameAnswerAndCountsAsUnpausedRun() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        OrchestraResult unpaused = Orchestra.run(
                "t",
                forkTopology(),
                RunOptions.builder()
                        .agents(forkAgents(new CountDownLatch(2), open))
                        .build());
        Map<String, Integer> unpausedCounts = snapshotCounts();
        calls.clear();

        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        OrchestraInstance first = instance(forkTopology(), forkAgents(started, release));
        SessionHandle handle = first.start("t", Map.of("session_id", "pause-1"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.pauseSession("pause-1", "maintenance")).isTrue();
        release.countDown();
        OrchestraResult paused = handle.await();
        first.close();

        OrchestraInstance second = instance(forkTopology(), forkAgents(new CountDownLatch(2), open));
        OrchestraResult resumed = second.resumeSession("pause-1", Map.of("note", "after"));

        assertThat(paused.status()).isEqualTo(RunStatus.PAUSED);
        assertThat(paused.finalResponse()).isNull();
        assertThat(resumed.status()).as(resumed.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(resumed.finalResponse()).isEqualTo(unpaused.finalResponse());
        assertThat(snapshotCounts()).isEqualTo(unpausedCounts);
        assertThat(resumed.totalSteps()).isEqualTo(unpaused.totalSteps());
    }

    private Map<String, Integer> snapshotCounts() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Test
    void restoreCheckpoint_thenResume_rerunsOnlyWhatCameAfterIt() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> C")
                .edge("C -> End")
                .build();
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", counted("A", r -> AgentResponse.handOff("B", "a")))
                .register("B", counted("B", r -> {
                    if (calls.get("B").get() == 1) {
                        self.get().pauseSession(r.sessionId(), "checkpoint me");
                    }
                    return AgentResponse.handOff("C", "b");
                }))
                .register("C", counted("C", r -> AgentResponse.finish("c after " + r.input())));
        OrchestraInstance instance = instance(t, agents);
        self.set(instance);

        OrchestraResult paused = instance.execute("t", Map.of("session_id", "cp-1"), 10);
        String checkpoint = instance.createCheckpoint("cp-1", "after-b");
        OrchestraResult first = instance.resumeSession("cp-1", Map.of());
        boolean restored = instance.restoreCheckpoint(checkpoint);
        OrchestraResult again = instance.resumeSession("cp-1", Map.of());

        assertThat(paused.status()).isEqualTo(RunStatus.PAUSED);
        assertThat(first.finalResponse()).isEqualTo("c after b");
        assertThat(restored).isTrue();
        assertThat(again.finalResponse()).isEqualTo("c after b");
        assertThat(snapshotCounts()).containsExactlyInAnyOrderEntriesOf(Map.of("A", 1, "B", 1, "C", 2));
        assertThat(again.checkpointIds()).contains(checkpoint);
    }

    @Test
    void restoreCheckpointTakenWhileRunning_thenResume_continuesFromThatCheckpoint() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Slow")
                .edge("Hub <-> Quick")
                .edge("Hub -> End")
                .build();
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        java.util.concurrent.CompletableFuture<String> checkpoint = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(1);
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "Hub",
                        counted(
                                "Hub",
                                r -> r.arrivals().isEmpty()
                                        ? AgentResponse.parallel(
                                                Invocation.of("Slow", "s"), Invocation.of("Quick", "q"))
                                        : AgentResponse.finish(r.arrivals().stream()
                                                .map(Arrival::value)
                                                .toList())))
                .register("Quick", counted("Quick", r -> AgentResponse.finish("quick")))
                .register("Slow", counted("Slow", r -> {
                    if (calls.get("Slow").get() == 1) { // a fork child off the coordinator: the session is running
                        Thread.ofVirtual().start(() -> {
                            try {
                                checkpoint.complete(self.get().createCheckpoint(r.sessionId(), "running"));
                            } catch (RuntimeException e) {
                                checkpoint.completeExceptionally(e);
                            } finally {
                                taken.countDown();
                            }
                        });
                        taken.await(); // this step is in flight in the checkpoint
                    }
                    return AgentResponse.finish("slow");
                }));
        OrchestraInstance instance = instance(t, agents);
        self.set(instance);

        OrchestraResult first = instance.execute("t", Map.of("session_id", "cp-running"), 10);
        String id = checkpoint.get(10, java.util.concurrent.TimeUnit.SECONDS);
        boolean restored = instance.restoreCheckpoint(id);
        OrchestraResult again = instance.resumeSession("cp-running", Map.of());

        assertThat(first.finalResponse()).isEqualTo(List.of("slow", "quick"));
        assertThat(restored).isTrue();
        assertThat(again.status()).as(again.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(again.finalResponse()).isEqualTo(List.of("slow", "quick"));
        assertThat(calls.get("Slow"))
                .as("in flight at the checkpoint: runs again")
                .hasValue(2);
        assertThat(calls.get("Hub"))
                .as("fork, join; then the join again after the restore")
                .hasValue(3);
    }

    @Test
    void twoInstancesResumeTheSameSession_exactlyOneProceeds() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> {
                    self.get().pauseSession(r.sessionId(), "stop");
                    return AgentResponse.handOff("B", "a");
                })
                .register("B", counted("B", r -> AgentResponse.finish("done")));
        OrchestraInstance origin = instance(t, agents);
        self.set(origin);
        assertThat(origin.execute("t", Map.of("session_id", "race-1"), 10).status())
                .isEqualTo(RunStatus.PAUSED);

        OrchestraInstance one = instance(t, agents);
        OrchestraInstance two = instance(t, agents);
        List<OrchestraInstance> racers = List.of(one, two);
        List<Object> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = racers.stream()
                .map(i -> Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        outcomes.add(i.resumeSession("race-1", Map.of()));
                    } catch (SessionException e) {
                        outcomes.add(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }))
                .toList();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes).filteredOn(OrchestraResult.class::isInstance).hasSize(1);
        assertThat(outcomes)
                .filteredOn(SessionException.class::isInstance)
                .singleElement()
                .satisfies(e -> assertThat(((Exception) e).getMessage()).contains("race-1"));
        assertThat(calls.get("B")).hasValue(1);
    }

    @Test
    void resumeSession_completedSession_isRejectedClearly() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        OrchestraInstance instance = instance(t, AgentRegistry.create().register("A", r -> AgentResponse.finish("x")));
        instance.execute("t", Map.of("session_id", "done-1"), 5);

        assertThatThrownBy(() -> instance.resumeSession("done-1", Map.of()))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("done-1")
                .hasMessageContaining("COMPLETED");
    }

    @Test
    void checkpoints_withoutStateManager_failWithHint() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(AgentRegistry.create().register("A", r -> AgentResponse.finish("x")))
                .build();
        instance.execute("t", Map.of("session_id", "nostate"), 5);

        assertThatThrownBy(() -> instance.createCheckpoint("nostate", "x"))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("StateManager");
    }

    /** A service handle somebody put into the context: Jackson has nothing to write for it. */
    private static final class DatabaseClient {}

    /** A value whose getter leads back to itself. */
    private static final class Cyclic {
        public Cyclic getSelf() {
            return this;
        }
    }

    @Test
    void execute_contextValueIsNotJson_failsNamingTheKeyAndLeavesNothingRunningInStorage() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        AgentRegistry agents = AgentRegistry.create().register("A", counted("A", r -> AgentResponse.finish("done")));
        OrchestraInstance orchestra = instance(t, agents);

        OrchestraResult result = orchestra.execute("t", Map.of("session_id", "json-1", "db", new DatabaseClient()), 10);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("'db'").contains("DatabaseClient"));
        assertThat(new StateManager(storage).loadSession("json-1").map(s -> s.status()))
                .isNotEqualTo(java.util.Optional.of("RUNNING"));
        assertThat(calls).as("no agent runs for a session that cannot be saved").isEmpty();
    }

    @Test
    void execute_agentOutputIsNotJson_failsTheRunAndStoresItFailedNotRunning() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> AgentResponse.handOff("B", new Cyclic()))
                .register("B", counted("B", r -> AgentResponse.finish("done")));

        OrchestraResult result = instance(t, agents).execute("t", Map.of("session_id", "json-2"), 10);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("json-2").contains("JSON"));
        assertThat(new StateManager(storage).loadSession("json-2"))
                .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("FAILED"));
    }

    @Test
    void finishedSessions_areNotKeptInMemory_butStayReadableFromStorage() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        AgentRegistry agents = AgentRegistry.create().register("A", r -> AgentResponse.finish("x"));
        OrchestraInstance withoutStorage =
                OrchestraInstance.builder().topology(t).agents(agents).build();
        OrchestraInstance withStorage = instance(t, agents);

        for (int i = 0; i < 3; i++) {
            withoutStorage.execute("t", Map.of("session_id", "gone-" + i), 5);
            withStorage.execute("t", Map.of("session_id", "kept-" + i), 5);
        }

        assertThat(withoutStorage.listSessions())
                .as("an instance serving many runs must not keep each finished one")
                .isEmpty();
        assertThat(withStorage.listSessions())
                .extracting(SessionInfo::sessionId, SessionInfo::running, SessionInfo::lastStatus)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "kept-0", false, java.util.Optional.of(RunStatus.COMPLETED)),
                        org.assertj.core.groups.Tuple.tuple(
                                "kept-1", false, java.util.Optional.of(RunStatus.COMPLETED)),
                        org.assertj.core.groups.Tuple.tuple(
                                "kept-2", false, java.util.Optional.of(RunStatus.COMPLETED)));
        assertThatThrownBy(() -> withStorage.resumeSession("kept-1", Map.of()))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("COMPLETED");
    }

    @Test
    void recoverSession_secondRecovererWhileTheFirstIsAlive_isRefusedAndTheStepRunsOnce() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> AgentResponse.handOff("B", "a"))
                .register("B", counted("B", r -> {
                    started.countDown();
                    release.await();
                    return AgentResponse.finish("done");
                }));
        OrchestraInstance crashed = instance(t, agents);
        SessionHandle doomed = crashed.start("t", Map.of("session_id", "recover-1"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        // the process "dies" here: what storage holds now (RUNNING, before B) is all that is left of it
        StorageBackend afterCrash = StorageBackends.inMemory();
        for (String key : storage.list("")) {
            afterCrash.write(key, storage.read(key).orElseThrow().value());
        }
        crashed.close();
        doomed.result().handle((r, e) -> r).get(10, TimeUnit.SECONDS);
        calls.clear();

        OrchestraInstance first = instance(t, agents, afterCrash);
        CompletableFuture<OrchestraResult> recovered =
                CompletableFuture.supplyAsync(() -> first.recoverSession("recover-1", Map.of()));
        await(() -> calls.containsKey("B"));
        OrchestraInstance second = instance(t, agents, afterCrash);
        CompletableFuture<OrchestraResult> secondRecovery =
                CompletableFuture.supplyAsync(() -> second.recoverSession("recover-1", Map.of()));

        assertThatThrownBy(() -> secondRecovery.get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(SessionException.class)
                .cause()
                .hasMessageContaining("recover-1")
                .hasMessageContaining("alive");
        release.countDown();
        assertThat(recovered.get(20, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(calls.get("B"))
                .as("the in-flight step re-ran once, in the first recoverer only")
                .hasValue(1);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(until);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void maxAgents_pausedWhileForkChildrenAreQueued_resumedElsewhereRunsEveryChild() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W")
                .edge("Hub -> End")
                .rule("max_agents(2)")
                .build();
        CountDownLatch twoRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(java.util.stream.IntStream.range(0, 5)
                                        .mapToObj(i -> Invocation.of("W", i))
                                        .toList())
                                : AgentResponse.finish(r.arrivals().size() + " arrived"))
                .register("W", counted("W", r -> {
                    twoRunning.countDown();
                    release.await();
                    return AgentResponse.finish("w" + r.input());
                }));
        OrchestraInstance origin = instance(t, agents);
        SessionHandle handle = origin.start("t", Map.of("session_id", "queued-1"));
        assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(origin.pauseSession("queued-1", "operator")).isTrue();
        release.countDown();
        assertThat(handle.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.PAUSED);

        OrchestraResult result = instance(t, agents).resumeSession("queued-1", Map.of());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("5 arrived");
        assertThat(calls.get("W")).hasValue(5);
    }

    @Test
    void resumeSession_aBitFlippedInTheStoredSnapshot_failsWithAStateExceptionNamingTheSession() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> {
                    self.get().pauseSession(r.sessionId(), "stop");
                    return AgentResponse.handOff("B", "a");
                })
                .register("B", counted("B", r -> AgentResponse.finish("done")));
        OrchestraInstance origin = instance(t, agents);
        self.set(origin);
        assertThat(origin.execute("t", Map.of("session_id", "crc-1"), 10).status())
                .isEqualTo(RunStatus.PAUSED);
        String key = storage.list("").stream()
                .filter(k -> k.endsWith("/crc-1") && k.startsWith("sessions"))
                .findFirst()
                .orElseThrow();
        byte[] bytes = storage.read(key).orElseThrow().value().clone();
        bytes[bytes.length / 2] ^= 0x10;
        storage.write(key, bytes);

        assertThatThrownBy(() -> instance(t, agents).resumeSession("crc-1", Map.of()))
                .isInstanceOf(dev.orchestra4j.state.StateException.class)
                .hasMessageContaining("crc-1");
        assertThat(calls).doesNotContainKey("B");
    }

    /** S1 pauses its own session; S1..S5 form a pipeline of five steps. */
    private static Topology pausingPipeline(AgentRegistry agents, AtomicReference<OrchestraInstance> self) {
        Topology.Builder t = Topology.builder().edge("Start -> S1");
        for (int i = 1; i <= 5; i++) {
            String next = i == 5 ? "End" : "S" + (i + 1);
            t.edge("S" + i + " -> " + next);
            boolean first = i == 1;
            agents.register("S" + i, r -> {
                if (first) {
                    self.get().pauseSession(r.sessionId(), "stop");
                }
                return next.equals("End") ? AgentResponse.finish("done") : AgentResponse.handOff(next, "x");
            });
        }
        return t.build();
    }

    @Test
    void resumeSession_inAnotherInstance_keepsTheMaxStepsTheSessionStartedWith() {
        AgentRegistry agents = AgentRegistry.create();
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        Topology t = pausingPipeline(agents, self);
        OrchestraInstance origin = instance(t, agents);
        self.set(origin);
        assertThat(origin.execute("t", Map.of("session_id", "steps-1"), 10).status())
                .isEqualTo(RunStatus.PAUSED);
        OrchestraInstance strict = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .stateManager(new StateManager(storage))
                .maxSteps(3)
                .build();

        OrchestraResult result = strict.resumeSession("steps-1", Map.of());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.totalSteps()).isEqualTo(5);
    }

    @Test
    void cancelSession_pausedSession_isCancelledInStorageSoNoInstanceResumesIt() {
        AgentRegistry agents = AgentRegistry.create();
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        Topology t = pausingPipeline(agents, self);
        OrchestraInstance origin = instance(t, agents);
        self.set(origin);
        assertThat(origin.execute("t", Map.of("session_id", "cancel-1"), 10).status())
                .isEqualTo(RunStatus.PAUSED);

        origin.cancelSession("cancel-1");

        assertThat(new StateManager(storage).loadSession("cancel-1"))
                .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("CANCELLED"));
        assertThatThrownBy(() -> instance(t, agents).resumeSession("cancel-1", Map.of()))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("CANCELLED");
    }

    @Test
    void createCheckpoint_whileTheOnlyStepRunsLong_isTakenWithoutWaitingForTheStep() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        CountDownLatch bStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> AgentResponse.handOff("B", "a"))
                .register("B", r -> {
                    bStarted.countDown();
                    release.await();
                    return AgentResponse.finish("done");
                });
        OrchestraInstance instance = instance(t, agents);
        SessionHandle handle = instance.start("t", Map.of("session_id", "checkpoint-1"));
        assertThat(bStarted.await(10, TimeUnit.SECONDS)).isTrue();

        try {
            String id = CompletableFuture.supplyAsync(() -> instance.createCheckpoint("checkpoint-1", "mid-step"))
                    .get(10, TimeUnit.SECONDS);

            assertThat(id).startsWith("checkpoint-1/");
        } finally {
            release.countDown();
        }
        assertThat(handle.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void resumeSession_storedPayloadWithABadDate_failsWithAStateExceptionNamingTheSession() {
        AgentRegistry agents = AgentRegistry.create();
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        Topology t = pausingPipeline(agents, self);
        OrchestraInstance origin = instance(t, agents);
        self.set(origin);
        assertThat(origin.execute("t", Map.of("session_id", "bad-date"), 10).status())
                .isEqualTo(RunStatus.PAUSED);
        StateManager manager = new StateManager(storage);
        dev.orchestra4j.state.SessionSnapshot stored =
                manager.loadSession("bad-date").orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode payload =
                ((com.fasterxml.jackson.databind.node.ObjectNode) stored.payload()).deepCopy();
        payload.put("startedAt", "yesterday-ish");
        manager.save(new dev.orchestra4j.state.SessionSnapshot(
                stored.schemaVersion(),
                stored.sessionId(),
                stored.version(),
                stored.status(),
                stored.createdAt(),
                stored.updatedAt(),
                stored.topologyJson(),
                stored.topologyDigest(),
                payload));

        assertThatThrownBy(() -> instance(t, agents).resumeSession("bad-date", Map.of()))
                .isInstanceOf(dev.orchestra4j.state.StateException.class)
                .hasMessageContaining("bad-date")
                .hasMessageContaining("corrupt");
    }

    @Test
    void callsNamingASession_nullId_failNamingTheParameter() {
        OrchestraInstance instance = instance(forkTopology(), forkAgents(new CountDownLatch(0), new CountDownLatch(0)));

        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call :
                List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                        () -> instance.respond(null, "yes"),
                        () -> instance.resumeSession(null, Map.of()),
                        () -> instance.recoverSession(null, Map.of()),
                        () -> instance.pauseSession(null, "why"),
                        () -> instance.cancelSession(null),
                        () -> instance.createCheckpoint(null, "c"))) {
            assertThatThrownBy(call).isInstanceOf(NullPointerException.class).hasMessage("sessionId");
        }
        instance.close();
    }
}
