package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.TimeoutKind;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every limit of SPEC §4.5, driven by a hand-moved clock: a timeout fires only when the test moves time. */
final class TimeoutsTest {

    private final AgentRegistry agents = AgentRegistry.create();
    private final MutableClock clock = MutableClock.atEpoch();
    private final List<OrchestraEvent> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch runCompleted = new CountDownLatch(1);

    private void record(OrchestraEvent event) {
        events.add(event);
        if (event instanceof OrchestraEvent.RunCompleted) {
            runCompleted.countDown();
        }
    }

    /** Listeners are fed asynchronously: wait until the last event of the run has arrived. */
    private List<OrchestraEvent> allEvents() throws InterruptedException {
        assertThat(runCompleted.await(10, TimeUnit.SECONDS)).isTrue();
        return events;
    }

    private SessionHandle start(Topology topology, ExecutionConfig config) {
        return builder(topology, config).listener(this::record).build().start("task", java.util.Map.of());
    }

    /** An instance of {@link #agents} on {@link #clock}, with no retries. */
    private OrchestraInstance.Builder builder(Topology topology, ExecutionConfig config) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .executionConfig(config)
                .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                .clock(clock);
    }

    private static ExecutionConfig stepTimeout(Duration limit) {
        return ExecutionConfig.builder().stepTimeout(limit).build();
    }

    /** An agent that announces it started, then blocks until interrupted. */
    private static Agent blocking(CountDownLatch started) {
        return r -> {
            started.countDown();
            new CountDownLatch(1).await();
            return AgentResponse.finish("never");
        };
    }

    private void awaitEvent(java.util.function.Predicate<OrchestraEvent> which) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.stream().noneMatch(which)) {
            assertThat(System.nanoTime()).as("event not seen in time").isLessThan(until);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** {@code Start -> Hub}, {@code Hub <-> W}, {@code Hub -> End}. */
    private static Topology hubAndWorker() {
        return Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W")
                .edge("Hub -> End")
                .build();
    }

    /** Hub forks two W steps and finishes "joined" once they arrive; W is {@code worker}. */
    private void registerHubForkingTwo(Agent worker) {
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("W", 1), Invocation.of("W", 2))
                                : AgentResponse.finish("joined"))
                .register("W", worker);
    }

    private void moveTimeOnceStarted(CountDownLatch started, Duration by) throws InterruptedException {
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(by);
    }

    @Test
    void stepTimeout_blockedAgent_isInterruptedAndTheRunFailsNamingIt() throws Exception {
        Topology t =
                Topology.builder().edge("Start -> Slow").edge("Slow -> End").build();
        CountDownLatch started = new CountDownLatch(1);
        agents.register("Slow", blocking(started));

        SessionHandle handle = start(
                t, ExecutionConfig.builder().stepTimeout(Duration.ofSeconds(30)).build());
        moveTimeOnceStarted(started, Duration.ofSeconds(31));
        OrchestraResult result = handle.await();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("Slow").contains("stepTimeout"));
        assertThat(result.metrics().timeouts()).isEqualTo(1);
        assertThat(allEvents()).anySatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(OrchestraEvent.TimeoutFired.class, f -> assertThat(f.kind())
                        .isEqualTo(TimeoutKind.STEP)));
    }

    @Test
    void branchTimeout_parallelChildOverruns_childTimesOutAndStrictForkFails() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Fast")
                .edge("Hub <-> Slow")
                .edge("Hub -> End")
                .build();
        CountDownLatch started = new CountDownLatch(1);
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty() && !(r.input() instanceof List<?>)
                                ? AgentResponse.parallel(Invocation.of("Fast", 1), Invocation.of("Slow", 2))
                                : AgentResponse.finish("joined"))
                .register("Fast", r -> AgentResponse.finish("fast"))
                .register("Slow", blocking(started));

        SessionHandle handle = start(
                t,
                ExecutionConfig.builder().branchTimeout(Duration.ofMinutes(2)).build());
        moveTimeOnceStarted(started, Duration.ofMinutes(3));
        OrchestraResult result = handle.await();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("branchTimeout").contains("Slow"));
        assertThat(result.branchResults())
                .anySatisfy(b -> assertThat(b.status()).isEqualTo(BranchStatus.TIMED_OUT));
        assertThat(result.executionTrace())
                .anySatisfy(s -> assertThat(s.action()).isEqualTo(TraceStep.Action.TIMEOUT));
    }

    @Test
    void convergenceTimeout_withAnyPolicy_firesWithPartialResultsAndAbandonsStragglers() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Fast")
                .edge("Hub <-> Slow")
                .edge("Hub -> End")
                .build();
        CountDownLatch started = new CountDownLatch(1);
        agents.register(
                        "Hub",
                        r -> r.input() instanceof List<?> arrivals
                                ? AgentResponse.finish(arrivals.size() + " arrived")
                                : AgentResponse.parallel(Invocation.of("Fast", 1), Invocation.of("Slow", 2)))
                .register("Fast", r -> AgentResponse.finish("fast"))
                .register("Slow", blocking(started));

        SessionHandle handle = start(
                t,
                ExecutionConfig.builder()
                        .convergencePolicy(ConvergencePolicy.ANY)
                        .convergenceTimeout(Duration.ofMinutes(1))
                        .build());
        // the convergence clock starts at the fork's first arrival (Fast settling), not when the fork opened
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        awaitEvent(e -> e instanceof OrchestraEvent.BranchSettled s && s.agent().equals("Fast"));
        clock.advance(Duration.ofSeconds(61));
        OrchestraResult result = handle.await();

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("1 arrived");
        assertThat(result.branchResults())
                .anySatisfy(b -> assertThat(b.status()).isEqualTo(BranchStatus.ABANDONED));
        assertThat(allEvents()).anySatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(OrchestraEvent.TimeoutFired.class, f -> assertThat(f.kind())
                        .isEqualTo(TimeoutKind.CONVERGENCE)));
    }

    @Test
    void convergenceTimeout_withStrictPolicy_failsNamingTheBarrier() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Fast")
                .edge("Hub <-> Slow")
                .edge("Hub -> End")
                .build();
        CountDownLatch started = new CountDownLatch(1);
        agents.register("Hub", r -> AgentResponse.parallel(Invocation.of("Fast", 1), Invocation.of("Slow", 2)))
                .register("Fast", r -> AgentResponse.finish("fast"))
                .register("Slow", blocking(started));

        SessionHandle handle = start(
                t,
                ExecutionConfig.builder()
                        .convergenceTimeout(Duration.ofMinutes(1))
                        .build());
        // the convergence clock starts at the fork's first arrival (Fast settling), not when the fork opened
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        awaitEvent(e -> e instanceof OrchestraEvent.BranchSettled s && s.agent().equals("Fast"));
        clock.advance(Duration.ofSeconds(61));
        OrchestraResult result = handle.await();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(
                        e -> assertThat(e).contains("fork").contains("Hub").contains("convergence timeout"));
    }

    @Test
    void runTimeout_stopsEverythingAndKeepsPartialResults() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("Start -> Slow")
                .edge("A -> End")
                .edge("Slow -> End")
                .build();
        CountDownLatch started = new CountDownLatch(1);
        agents.register("A", r -> AgentResponse.finish("partial")).register("Slow", blocking(started));

        SessionHandle handle = start(
                t, ExecutionConfig.builder().runTimeout(Duration.ofSeconds(5)).build());
        moveTimeOnceStarted(started, Duration.ofSeconds(6));
        OrchestraResult result = handle.await();

        assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("runTimeout"));
        assertThat(result.finalResponses()).containsExactly("partial");
    }

    @Test
    void timeoutRule_inTopology_actsAsRunTimeout() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Slow")
                .edge("Slow -> End")
                .rule("timeout(5)")
                .build();
        CountDownLatch started = new CountDownLatch(1);
        agents.register("Slow", blocking(started));

        SessionHandle handle = start(t, ExecutionConfig.defaults());
        moveTimeOnceStarted(started, Duration.ofSeconds(6));

        assertThat(handle.await().status()).isEqualTo(RunStatus.TIMED_OUT);
    }

    @Test
    void maxSteps_runawayLoop_failsNamingTheLimit() {
        Topology t = Topology.builder()
                .edge("Start -> Ping")
                .edge("Ping <-> Pong")
                .edge("Ping -> End")
                .build();
        agents.register("Ping", r -> AgentResponse.handOff("Pong", "ping"))
                .register("Pong", r -> AgentResponse.handOff("Ping", "pong"));

        OrchestraResult result = Orchestra.run(
                "go", t, RunOptions.builder().agents(agents).maxSteps(7).build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.totalSteps()).isEqualTo(7);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("maxSteps (7)"));
    }

    @Test
    void cancelSession_interruptsBlockedAgent() throws Exception {
        Topology t =
                Topology.builder().edge("Start -> Slow").edge("Slow -> End").build();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        agents.register("Slow", r -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return AgentResponse.finish("never");
        });
        OrchestraInstance instance =
                OrchestraInstance.builder().topology(t).agents(agents).build();
        SessionHandle handle = instance.start("task", java.util.Map.of());
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        instance.cancelSession(handle.id());

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        OrchestraResult result = handle.await();
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.branchResults())
                .allSatisfy(b -> assertThat(b.status()).isEqualTo(BranchStatus.ABANDONED));
    }

    @Test
    void stepTimeout_executorThatNeverBeginsTheSteps_timesThemOutFromDispatchWithoutCallingTheAgent() throws Exception {
        AtomicInteger called = new AtomicInteger();
        registerHubForkingTwo(r -> {
            called.incrementAndGet();
            return AgentResponse.finish("w");
        });
        Topology t = hubAndWorker();
        List<Runnable> held = new CopyOnWriteArrayList<>(); // a saturated pool: it takes the steps and never runs them
        CountDownLatch queued = new CountDownLatch(2);
        SessionHandle handle = builder(t, stepTimeout(Duration.ofSeconds(30)))
                .stepExecutor(step -> {
                    held.add(step);
                    queued.countDown();
                })
                .build()
                .start("task", java.util.Map.of());

        assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(31));
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("W").contains("stepTimeout"));
        held.forEach(Runnable::run); // the pool gets to them at last
        assertThat(called)
                .as("a step that timed out in the queue never calls its agent")
                .hasValue(0);
    }

    @Test
    void foreverTimeouts_everyKnobSetToChronoUnitForever_meanNoLimitInsteadOfAnOverflow() {
        Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
        registerHubForkingTwo(r -> AgentResponse.finish("w"));
        Topology t = hubAndWorker();
        ExecutionConfig config = ExecutionConfig.builder()
                .stepTimeout(forever)
                .branchTimeout(forever)
                .convergenceTimeout(forever)
                .userInteractionTimeout(forever)
                .runTimeout(forever)
                .build();

        OrchestraResult result = start(t, config).await();

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("joined");
    }

    @Test
    void convergenceTimeout_countsFromTheFirstArrival_notFromWhenTheForkOpened() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("W", 1), Invocation.of("W", 2))
                                : AgentResponse.finish("joined " + r.arrivals().size()))
                .register("W", r -> {
                    started.countDown();
                    (Integer.valueOf(1).equals(r.input()) ? first : second).await();
                    return AgentResponse.finish("w" + r.input());
                });
        Topology t = hubAndWorker();
        SessionHandle handle = start(
                t,
                ExecutionConfig.builder()
                        .stepTimeout(Duration.ofMinutes(10))
                        .convergenceTimeout(Duration.ofMinutes(5))
                        .build());

        // both experts work for 6 minutes: longer than the convergence timeout, shorter than the step timeout
        moveTimeOnceStarted(started, Duration.ofMinutes(6));
        first.countDown(); // the first arrival: only now does the join's clock start
        clock.advance(Duration.ofMinutes(3)); // 9 minutes after the fork opened, 3 after its first arrival
        second.countDown();
        OrchestraResult result = handle.await();

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("joined 2");
        assertThat(allEvents()).noneSatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(OrchestraEvent.TimeoutFired.class, f -> assertThat(f.kind())
                        .isEqualTo(TimeoutKind.CONVERGENCE)));
    }

    @Test
    void stepTimeout_agentIgnoresInterrupts_itsZombieDoesNotKeepTheSessionFromSuspending() throws Exception {
        CountDownLatch zombieStarted = new CountDownLatch(1);
        CountDownLatch endOfTest = new CountDownLatch(1);
        agents.register("Zombie", r -> {
                    zombieStarted.countDown();
                    while (endOfTest.getCount() > 0) {
                        try {
                            endOfTest.await();
                        } catch (InterruptedException ignored) {
                            // an agent that swallows interrupts
                        }
                    }
                    return AgentResponse.finish("too late");
                })
                .register("Asker", r -> AgentResponse.askUser("Which colour?"));
        Topology t = Topology.builder()
                .edge("Start -> Zombie")
                .edge("Start -> Asker")
                .edge("Asker -> User")
                .edge("Zombie -> End")
                .edge("Asker -> End")
                .build();
        OrchestraInstance instance = builder(t, stepTimeout(Duration.ofSeconds(30)))
                .communicationConfig(CommunicationConfig.none())
                .listener(this::record)
                .build();
        try {
            SessionHandle handle = instance.start("task", java.util.Map.of());
            assertThat(zombieStarted.await(10, TimeUnit.SECONDS)).isTrue();
            awaitEvent(e -> e instanceof OrchestraEvent.UserQuestionAsked);
            clock.advance(Duration.ofSeconds(31));

            OrchestraResult result = handle.result().get(20, TimeUnit.SECONDS);

            assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.WAITING_FOR_USER);
            assertThat(result.pendingQuestions()).singleElement().satisfies(q -> assertThat(q.agent())
                    .isEqualTo("Asker"));
        } finally {
            endOfTest.countDown();
        }
    }

    @Test
    void stepTimeout_onlyBranchIgnoresInterrupts_theSessionMovesOnAndTheRetrySucceeds() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch endOfTest = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        agents.register("Stuck", StuckAgents.ignoringInterrupts(started, endOfTest, calls));
        Topology t =
                Topology.builder().edge("Start -> Stuck").edge("Stuck -> End").build();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .executionConfig(ExecutionConfig.builder()
                        .stepTimeout(Duration.ofSeconds(30))
                        .build())
                .errorConfig(ErrorHandlingConfig.builder()
                        .maxRetries(1)
                        .baseDelay(Duration.ZERO)
                        .build())
                .clock(clock)
                .build();
        try {
            SessionHandle handle = instance.start("task", java.util.Map.of());
            moveTimeOnceStarted(started, Duration.ofSeconds(31));

            OrchestraResult result = handle.result().get(20, TimeUnit.SECONDS);

            assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
            assertThat(result.finalResponse()).isEqualTo("second attempt");
        } finally {
            endOfTest.countDown();
        }
    }

    @Test
    void stepTimeout_agentIgnoresInterrupts_publishesStepAbandonedAndDiscardsTheLateResult() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch endOfTest = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        agents.register("Stuck", StuckAgents.ignoringInterrupts(started, endOfTest, calls));
        Topology t =
                Topology.builder().edge("Start -> Stuck").edge("Stuck -> End").build();
        SessionHandle handle;
        try {
            handle = start(
                    t,
                    ExecutionConfig.builder()
                            .stepTimeout(Duration.ofSeconds(30))
                            .build());
            moveTimeOnceStarted(started, Duration.ofSeconds(31));
            OrchestraResult result = handle.result().get(20, TimeUnit.SECONDS);

            assertThat(result.status()).isEqualTo(RunStatus.FAILED);
            assertThat(allEvents())
                    .filteredOn(OrchestraEvent.StepAbandoned.class::isInstance)
                    .singleElement()
                    .isInstanceOfSatisfying(OrchestraEvent.StepAbandoned.class, e -> {
                        assertThat(e.agent()).isEqualTo("Stuck");
                        assertThat(e.step()).isEqualTo(1);
                        assertThat(e.branchId()).isNotNull();
                        assertThat(e.reason()).contains("timed out");
                    });
        } finally {
            endOfTest.countDown(); // the zombie returns "zombie" now: nobody takes it
        }
        assertThat(handle.result().get().finalResponse()).isNotEqualTo("zombie");
    }

    @Test
    void stepTimeout_agentIgnoresInterrupts_countsAsAbandonedRunningUntilItsThreadReturns() throws Exception {
        String agent = "StuckForTheGauge"; // the count is per JVM: a name no other test uses
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch endOfTest = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> zombie =
                new java.util.concurrent.atomic.AtomicReference<>();
        Agent stuck = StuckAgents.ignoringInterrupts(started, endOfTest, new AtomicInteger());
        agents.register(agent, r -> {
            zombie.compareAndSet(null, Thread.currentThread());
            return stuck.act(r);
        });
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edge("Start -> " + agent)
                        .edge(agent + " -> End")
                        .build())
                .agents(agents)
                .executionConfig(ExecutionConfig.builder()
                        .stepTimeout(Duration.ofSeconds(30))
                        .build())
                .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                .clock(clock)
                .build();
        try {
            SessionHandle handle = instance.start("task", java.util.Map.of());
            moveTimeOnceStarted(started, Duration.ofSeconds(31));
            assertThat(handle.result().get(20, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.FAILED);

            assertThat(Orchestra.abandonedStepsRunning(agent))
                    .as("the run is over, its abandoned call's thread is still inside the agent")
                    .isEqualTo(1);
            assertThat(Orchestra.abandonedStepsRunning()).isPositive();
        } finally {
            endOfTest.countDown();
        }
        assertThat(zombie.get().join(Duration.ofSeconds(10)))
                .as("the stuck thread ended: everything the engine does on it is over")
                .isTrue();
        assertThat(Orchestra.abandonedStepsRunning(agent))
                .as("the stuck thread returned")
                .isZero();
    }

    @Test
    void cancelSession_agentIgnoresInterrupts_publishesStepAbandoned() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch endOfTest = new CountDownLatch(1);
        agents.register("Stuck", StuckAgents.ignoringInterrupts(started, endOfTest, new AtomicInteger()));
        Topology t =
                Topology.builder().edge("Start -> Stuck").edge("Stuck -> End").build();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .listener(this::record)
                .build();
        try {
            SessionHandle handle = instance.start("task", java.util.Map.of("session_id", "stuck-2"));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            instance.cancelSession("stuck-2");

            assertThat(handle.result().get(20, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(allEvents())
                    .filteredOn(OrchestraEvent.StepAbandoned.class::isInstance)
                    .singleElement()
                    .isInstanceOfSatisfying(OrchestraEvent.StepAbandoned.class, e -> assertThat(e.reason())
                            .contains("ABANDONED"));
        } finally {
            endOfTest.countDown();
        }
    }

    @Test
    void cancelSession_onlyBranchIgnoresInterrupts_returnsCancelledAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch endOfTest = new CountDownLatch(1);
        agents.register("Stuck", StuckAgents.ignoringInterrupts(started, endOfTest, new AtomicInteger()));
        Topology t =
                Topology.builder().edge("Start -> Stuck").edge("Stuck -> End").build();
        OrchestraInstance instance =
                OrchestraInstance.builder().topology(t).agents(agents).build();
        try {
            SessionHandle handle = instance.start("task", java.util.Map.of("session_id", "stuck-1"));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            instance.cancelSession("stuck-1");

            OrchestraResult result = handle.result().get(20, TimeUnit.SECONDS);

            assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        } finally {
            endOfTest.countDown();
        }
    }

    @Test
    void branchTimeout_timeWaitingForAForkDoesNotCountButTheBranchesOwnTimeAddsUp() throws Exception {
        agents.register("Hub", r -> {
                    if (r.arrivals().isEmpty()) {
                        clock.advance(Duration.ofMinutes(20)); // the hub's own work before the fork
                        return AgentResponse.parallel(Invocation.of("W", 1));
                    }
                    clock.advance(Duration.ofMinutes(15)); // and after it: 35 minutes of its own
                    return AgentResponse.handOff("Next", "x");
                })
                .register("W", r -> {
                    clock.advance(Duration.ofMinutes(25)); // the fork's time is not the hub's
                    return AgentResponse.finish("w");
                })
                .register("Next", r -> AgentResponse.finish("never"));
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W")
                .edge("Hub -> Next")
                .edge("Next -> End")
                .build();

        OrchestraResult result = start(
                        t,
                        ExecutionConfig.builder()
                                .stepTimeout(Duration.ofHours(1))
                                .branchTimeout(Duration.ofMinutes(30))
                                .build())
                .await();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("branchTimeout"));
        assertThat(result.wasAgentInvoked("Next")).isFalse();
    }
}
