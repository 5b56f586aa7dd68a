package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Execution semantics of SPEC §4.1–4.5 and §4.8 not covered elsewhere: concurrency limits queue and never drop,
 * {@code <~>} turn limits, routing of replies by condition, per-branch agent instances and memory, a fork naming the
 * same agent twice, and a fork that keeps its stragglers when {@code terminateOrphans} is off.
 */
final class EngineSemanticsTest {

    private final AgentRegistry agents = AgentRegistry.create();

    private OrchestraResult run(Topology topology, RunOptions.Builder options) {
        return Orchestra.run("task", topology, options.agents(agents).build());
    }

    private OrchestraResult run(Topology topology) {
        return run(topology, RunOptions.builder());
    }

    private static List<Object> values(Object input) {
        return ((List<?>) input).stream().map(a -> ((Arrival) a).value()).toList();
    }

    /** Counts agent calls in flight at once; each call holds its slot briefly so that unlimited calls overlap. */
    private static final class Concurrency {
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger max = new AtomicInteger();

        Agent worker() {
            return r -> {
                max.accumulateAndGet(now.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(30); // simulated work, so that calls allowed to run together do overlap
                } finally {
                    now.decrementAndGet();
                }
                return AgentResponse.finish("w" + r.input());
            };
        }
    }

    private Topology fanOut(int width, Agent worker, String... rules) {
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(java.util.stream.IntStream.range(0, width)
                                        .mapToObj(i -> Invocation.of("W", i))
                                        .toList())
                                : AgentResponse.finish(values(r.input())))
                .register("W", worker);
        Topology.Builder t =
                Topology.builder().edge("Start -> Hub").edge("Hub <-> W").edge("Hub -> End");
        for (String rule : rules) {
            t.rule(rule);
        }
        return t.build();
    }

    @Test
    void maxAgentsRule_forkWiderThanTheLimit_queuesChildrenAndRunsEveryOne() {
        Concurrency concurrency = new Concurrency();

        OrchestraResult result = run(fanOut(5, concurrency.worker(), "max_agents(2)"));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("w0", "w1", "w2", "w3", "w4"));
        assertThat(concurrency.max).hasValueBetween(1, 2);
    }

    @Test
    void withoutMaxAgents_forkChildrenRunTogether() {
        Concurrency concurrency = new Concurrency();

        OrchestraResult result = run(fanOut(5, concurrency.worker()));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(concurrency.max).hasValueGreaterThan(2);
    }

    @Test
    void maxConcurrentSteps_moreForkedStepsThanTheLimit_queuesThemAndDropsNone() {
        Concurrency concurrency = new Concurrency();

        OrchestraResult result = run(
                fanOut(6, concurrency.worker()),
                RunOptions.builder()
                        .executionConfig(
                                ExecutionConfig.builder().maxConcurrentSteps(2).build()));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("w0", "w1", "w2", "w3", "w4", "w5"));
        assertThat(result.agentInvocationCount("W")).isEqualTo(6);
        assertThat(concurrency.max).hasValueBetween(1, 2);
    }

    private Topology pingPong(String... rules) {
        agents.register("Ping", r -> AgentResponse.handOff("Pong", "ping"))
                .register("Pong", r -> AgentResponse.handOff("Ping", "pong"));
        Topology.Builder t =
                Topology.builder().edge("Start -> Ping").edge("Ping <~> Pong").edge("Ping -> End");
        for (String rule : rules) {
            t.rule(rule);
        }
        return t.build();
    }

    @Test
    void alternatingEdge_endlessPingPong_stopsAtTheDefaultTenTurnsWithAClearError() {
        OrchestraResult result = run(pingPong());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("max_turns (10) between 'Ping' and 'Pong'"));
        assertThat(result.executionTrace())
                .filteredOn(s -> s.action() == TraceStep.Action.INVOKE)
                .hasSize(10);
    }

    @Test
    void maxTurnsRule_limitsTheConversationBelowTheEdgeDefault() {
        OrchestraResult result = run(pingPong("max_turns(Ping, 3)"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("max_turns (3) between 'Pong' and 'Ping'"));
        assertThat(result.executionTrace())
                .filteredOn(s -> s.action() == TraceStep.Action.INVOKE)
                .hasSize(3);
    }

    private Topology judge(AgentResponse decision) {
        agents.register("Judge", r -> decision)
                .register("Good", r -> AgentResponse.finish("good:" + r.input()))
                .register("Bad", r -> AgentResponse.finish("bad:" + r.input()));
        return Topology.builder()
                .edge("Start -> Judge")
                .edge("Judge -> Good [when valid]")
                .edge("Judge -> Bad [when invalid]")
                .edge("Good -> End")
                .edge("Bad -> End")
                .build();
    }

    @Test
    void reply_withLabel_takesTheEdgeWhoseConditionNamesIt() {
        OrchestraResult result = run(judge(AgentResponse.reply("doc").label("valid")));

        assertThat(result.finalResponse()).isEqualTo("good:doc");
        assertThat(result.wasAgentInvoked("Bad")).isFalse();
    }

    @Test
    void reply_mapWithStatus_takesTheEdgeWhoseConditionMatchesTheStatus() {
        OrchestraResult result = run(judge(AgentResponse.reply(Map.of("status", "invalid"))));

        assertThat(result.finalResponse()).isEqualTo("bad:{status=invalid}");
        assertThat(result.wasAgentInvoked("Good")).isFalse();
    }

    @Test
    void reply_mapWithLabel_takesTheEdgeWhoseConditionMatchesTheLabel() {
        OrchestraResult result = run(judge(AgentResponse.reply(Map.of("label", "valid"))));

        assertThat(result.finalResponse()).isEqualTo("good:{label=valid}");
    }

    @Test
    void reply_namedJavaPredicate_decidesTheEdge() {
        Topology t = lengthJudge(r -> AgentResponse.reply(r.task() + " is long enough"));

        OrchestraResult result = run(
                t,
                RunOptions.builder()
                        .condition("lengthy", o -> o.toString().length() > 10)
                        .condition("brief", o -> o.toString().length() <= 10));

        assertThat(result.finalResponse()).isEqualTo("long");
        assertThat(result.wasAgentInvoked("Short")).isFalse();
    }

    @Test
    void reply_predicateThatThrows_failsTheStepNamingTheConditionNotTheEngine() {
        // the predicate is user code: it runs where the step ran, and its failure is the step's (it used to escape
        // the engine's decision and end the run as "internal engine error")
        Topology t = lengthJudge(r -> AgentResponse.reply("doc"));

        OrchestraResult result = run(
                t,
                RunOptions.builder()
                        .condition("lengthy", o -> {
                            throw new IllegalStateException("no length today");
                        })
                        .condition("brief", o -> true));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .doesNotContain("internal engine error")
                .contains("condition 'lengthy' of edge 'Judge -> Long' failed on the reply of agent 'Judge'")
                .contains("IllegalStateException: no length today"));
        assertThat(result.executionTrace())
                .anySatisfy(step -> assertThat(step.action()).isEqualTo(dev.orchestra4j.core.TraceStep.Action.FAIL));
        assertThat(result.wasAgentInvoked("Long")).isFalse();
        assertThat(result.wasAgentInvoked("Short")).isFalse();
    }

    /** Judge replies; 'lengthy' leads to Long, 'brief' to Short, each of which finishes with its name. */
    private Topology lengthJudge(Agent judge) {
        agents.register("Judge", judge)
                .register("Long", r -> AgentResponse.finish("long"))
                .register("Short", r -> AgentResponse.finish("short"));
        return Topology.builder()
                .edge("Start -> Judge")
                .edge("Judge -> Long [when lengthy]")
                .edge("Judge -> Short [when brief]")
                .edge("Long -> End")
                .edge("Short -> End")
                .build();
    }

    @Test
    void reply_noEdgeHolds_failsTheRunNamingTheNodeTheLabelAndTheEdges() {
        OrchestraResult result = run(judge(AgentResponse.reply("doc").label("maybe")));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("no edge out of 'Judge' holds for this reply (label 'maybe')")
                .contains("Judge -> Good [when valid]"));
        assertThat(result.wasAgentInvoked("Good")).isFalse();
        assertThat(result.wasAgentInvoked("Bad")).isFalse();
    }

    @Test
    void reply_severalEdgesHold_forksAndResumesTheReplierWithTheAggregate() {
        List<Object> splitterInputs = new CopyOnWriteArrayList<>();
        agents.register("Split", r -> {
                    splitterInputs.add(r.input());
                    return r.arrivals().isEmpty()
                            ? AgentResponse.reply("part")
                            : AgentResponse.finish(values(r.input()));
                })
                .register("A", r -> AgentResponse.finish("a:" + r.input()))
                .register("B", r -> AgentResponse.finish("b:" + r.input()));
        Topology t = Topology.builder()
                .edge("Start -> Split")
                .edge("Split <-> A")
                .edge("Split <-> B")
                .edge("Split -> End")
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("a:part", "b:part"));
        assertThat(result.executionTrace().getFirst().action()).isEqualTo(TraceStep.Action.REPLY);
        assertThat(result.executionTrace().getFirst().targets()).contains("A", "B");
    }

    @Test
    void reply_onlyEndHolds_finishesTheRun() {
        agents.register("A", r -> AgentResponse.reply("the answer"));
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();

        OrchestraResult result = run(t);

        assertThat(result.finalResponse()).isEqualTo("the answer");
        assertThat(result.executionTrace().getFirst().action()).isEqualTo(TraceStep.Action.REPLY);
        assertThat(result.executionTrace().getFirst().targets()).containsExactly("End");
    }

    /** An agent that remembers which instance served and what it had in memory. */
    private static final class Remembering implements Agent {
        static final Set<Remembering> INSTANCES = ConcurrentHashMap.newKeySet();
        static final List<Integer> MEMORY_SIZES = new CopyOnWriteArrayList<>();
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public AgentResponse act(AgentRequest r) {
            INSTANCES.add(this);
            MEMORY_SIZES.add(r.memory().size());
            r.memory().add(UserMessage.from("seen " + r.input()));
            int call = calls.incrementAndGet();
            return call == 1 && r.peers().contains("Helper")
                    ? AgentResponse.handOff("Helper", "help")
                    : AgentResponse.finish(r.branchId() + "#" + call);
        }
    }

    @Test
    void factoryAgent_forkedThreeTimes_getsAFreshInstanceAndEmptyMemoryPerBranch() {
        Remembering.INSTANCES.clear();
        Remembering.MEMORY_SIZES.clear();
        agents.registerFactory("W", Remembering::new);

        OrchestraResult result = run(fanOutTo("W", 3));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(Remembering.INSTANCES).hasSize(3);
        assertThat(Remembering.MEMORY_SIZES).containsExactly(0, 0, 0);
        assertThat(result.finalResponse()).isEqualTo(List.of("b2#1", "b3#1", "b4#1"));
    }

    @Test
    void sharedAgent_forkedThreeTimes_isOneInstanceButMemoryStaysPerBranch() {
        List<Integer> memorySizes = new CopyOnWriteArrayList<>();
        agents.register("W", r -> {
            memorySizes.add(r.memory().size());
            r.memory().add(UserMessage.from("seen " + r.input()));
            return AgentResponse.finish(r.branchId());
        });

        OrchestraResult result = run(fanOutTo("W", 3));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(memorySizes).containsExactly(0, 0, 0);
    }

    @Test
    void maxAgentsOne_nestedForks_completeWithoutDeadlock() {
        agents.register(
                        "Top",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Mid", "m1"), Invocation.of("Mid", "m2"))
                                : AgentResponse.finish(values(r.input())))
                .register(
                        "Mid",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(
                                        Invocation.of("Leaf", r.input() + "a"), Invocation.of("Leaf", r.input() + "b"))
                                : AgentResponse.finish(values(r.input())))
                .register("Leaf", r -> AgentResponse.finish(r.input()));
        Topology t = Topology.builder()
                .edge("Start -> Top")
                .edge("Top <-> Mid")
                .edge("Mid <-> Leaf")
                .edge("Top -> End")
                .rule("max_agents(1)")
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of(List.of("m1a", "m1b"), List.of("m2a", "m2b")));
    }

    @Test
    void factoryAgent_visitedTwiceByOneBranch_keepsItsInstanceAndMemory() {
        Remembering.INSTANCES.clear();
        Remembering.MEMORY_SIZES.clear();
        agents.registerFactory("W", Remembering::new).register("Helper", r -> AgentResponse.handOff("W", "back"));
        Topology t = Topology.builder()
                .edge("Start -> W")
                .edge("W <-> Helper")
                .edge("W -> End")
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(Remembering.INSTANCES).hasSize(1);
        assertThat(Remembering.MEMORY_SIZES).containsExactly(0, 1);
        assertThat(result.finalResponse()).isEqualTo("b1#2");
    }

    private Topology fanOutTo(String agent, int width) {
        agents.register(
                "Hub",
                r -> r.arrivals().isEmpty()
                        ? AgentResponse.parallel(java.util.stream.IntStream.range(0, width)
                                .mapToObj(i -> Invocation.of(agent, i))
                                .toList())
                        : AgentResponse.finish(values(r.input())));
        return Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> " + agent)
                .edge("Hub -> End")
                .build();
    }

    @Test
    void fork_sameAgentTwice_runsTwoBranchesAndLabelsBothArrivalsInInvocationOrder() {
        List<Object> hubInputs = new CopyOnWriteArrayList<>();
        agents.register("Hub", r -> {
                    hubInputs.add(r.input());
                    return r.arrivals().isEmpty()
                            ? AgentResponse.parallel(Invocation.of("W", "first"), Invocation.of("W", "second"))
                            : AgentResponse.finish("done");
                })
                .register("W", r -> AgentResponse.finish(r.input() + "!"));
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W")
                .edge("Hub -> End")
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        @SuppressWarnings("unchecked")
        List<Arrival> aggregate = (List<Arrival>) hubInputs.get(1);
        assertThat(aggregate).extracting(Arrival::agent).containsExactly("W", "W");
        assertThat(aggregate).extracting(Arrival::value).containsExactly("first!", "second!");
        assertThat(aggregate.get(0).branchId()).isNotEqualTo(aggregate.get(1).branchId());
        assertThat(result.agentInvocationCount("W")).isEqualTo(2);
    }

    @Test
    void convergenceTimeout_withoutTerminatingOrphans_firesPartiallyAndLetsTheStragglerFinish() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch fastArrived = new CountDownLatch(1);
        CountDownLatch hubResumed = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        agents.register("Hub", r -> {
                    if (r.arrivals().isEmpty() && !(r.input() instanceof List<?>)) {
                        return AgentResponse.parallel(Invocation.of("Fast", 1), Invocation.of("Slow", 2));
                    }
                    hubResumed.countDown();
                    return AgentResponse.finish(r.arrivals().size() + " arrived");
                })
                .register("Fast", r -> AgentResponse.finish("fast"))
                .register("Slow", r -> {
                    slowStarted.countDown();
                    assertThat(releaseSlow.await(10, TimeUnit.SECONDS)).isTrue();
                    return AgentResponse.finish("late");
                });
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Fast")
                .edge("Hub <-> Slow")
                .edge("Hub -> End")
                .build();
        MutableClock clock = MutableClock.atEpoch();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .executionConfig(ExecutionConfig.builder()
                        .convergencePolicy(ConvergencePolicy.ANY.withTerminateOrphans(false))
                        .convergenceTimeout(Duration.ofMinutes(1))
                        .build())
                .clock(clock)
                .listener(e -> {
                    if (e instanceof dev.orchestra4j.core.event.OrchestraEvent.BranchSettled settled
                            && settled.agent().equals("Fast")) {
                        fastArrived.countDown(); // the fork's convergence clock starts at its first arrival
                    }
                })
                .build();

        SessionHandle handle = instance.start("task", Map.of());
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fastArrived.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(61));
        assertThat(hubResumed.await(10, TimeUnit.SECONDS)).isTrue();
        releaseSlow.countDown();
        OrchestraResult result = handle.await();
        instance.close();

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponses()).containsExactly("1 arrived");
        assertThat(result.branchResults())
                .filteredOn(b -> b.agents().equals(List.of("Slow")))
                .singleElement()
                .satisfies(b -> {
                    assertThat(b.status()).isEqualTo(BranchStatus.COMPLETED);
                    assertThat(b.output()).isEqualTo("late");
                });
        assertThat(result.metrics().timeouts()).isEqualTo(1);
    }

    @Test
    void strictPolicyWithoutTerminatingOrphans_childFails_forkWaitsForTheLateChildBeforeFailing() throws Exception {
        CountDownLatch failedSettled = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        List<Object> hubInputs = new CopyOnWriteArrayList<>();
        agents.register("Hub", r -> {
                    hubInputs.add(r.input());
                    return AgentResponse.parallel(Invocation.of("Broken", 1), Invocation.of("Slow", 2));
                })
                .register("Broken", r -> {
                    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
                    return AgentResponse.fail("broken");
                })
                .register("Slow", r -> {
                    slowStarted.countDown();
                    assertThat(failedSettled.await(10, TimeUnit.SECONDS)).isTrue();
                    return AgentResponse.finish("late but delivered");
                });
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Broken")
                .edge("Hub <-> Slow")
                .edge("Hub -> End")
                .build();

        OrchestraResult result = run(
                t,
                RunOptions.builder()
                        .executionConfig(ExecutionConfig.builder()
                                .convergencePolicy(ConvergencePolicy.STRICT.withTerminateOrphans(false))
                                .build())
                        .listener(e -> {
                            if (e instanceof dev.orchestra4j.core.event.OrchestraEvent.BranchSettled s
                                    && s.agent().equals("Broken")) {
                                failedSettled.countDown();
                            }
                        }));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("broken"));
        assertThat(hubInputs).hasSize(1);
        assertThat(result.branchResults())
                .filteredOn(b -> b.agents().equals(List.of("Slow")))
                .singleElement()
                .satisfies(b -> {
                    assertThat(b.status()).isEqualTo(BranchStatus.COMPLETED);
                    assertThat(b.output()).isEqualTo("late but delivered");
                });
    }

    @Test
    void maxAgentsRule_moreEntryAgentsThanTheLimit_queuesThemAndRunsEveryOne() {
        Concurrency concurrency = new Concurrency();
        agents.register("A", concurrency.worker())
                .register("B", concurrency.worker())
                .register("C", concurrency.worker());
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("Start -> B")
                .edge("Start -> C")
                .edge("A -> End")
                .edge("B -> End")
                .edge("C -> End")
                .rule("max_agents(1)")
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponses()).hasSize(3);
        assertThat(concurrency.max).hasValue(1);
    }

    @Test
    void forkChild_invokingTheForker_deliversIntoItsForkInsteadOfMovingThere() {
        List<Object> hubInputs = new CopyOnWriteArrayList<>();
        agents.register("Hub", r -> {
                    hubInputs.add(r.input());
                    return r.arrivals().isEmpty()
                            ? AgentResponse.parallel(Invocation.of("W1", 1), Invocation.of("W2", 2))
                            : AgentResponse.finish(values(r.input()));
                })
                .register("W1", r -> AgentResponse.handOff("Hub", "handed back"))
                .register("W2", r -> AgentResponse.finish("finished"));
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("Hub -> End")
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(hubInputs).hasSize(2);
        assertThat(result.finalResponse()).isEqualTo(List.of("handed back", "finished"));
    }

    @Test
    void handOff_toANodeWhereAnUnrelatedForkWaits_movesTheBranchInsteadOfJoiningThatFork() {
        CountDownLatch p1Forked = new CountDownLatch(1);
        CountDownLatch crossHandled = new CountDownLatch(1);
        agents.register("P1", r -> {
                    if (r.input().equals("cross")) {
                        crossHandled.countDown();
                        return AgentResponse.finish("P1 handled cross");
                    }
                    return r.arrivals().isEmpty()
                            ? AgentResponse.parallel(Invocation.of("W", "from P1"))
                            : AgentResponse.finish("P1 got " + values(r.input()));
                })
                .register(
                        "P2",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("W", "from P2"))
                                : AgentResponse.finish("P2 got " + values(r.input())))
                .register("W", r -> {
                    if (r.input().equals("from P1")) {
                        p1Forked.countDown(); // P1's fork is open and waits for this branch
                        assertThat(crossHandled.await(10, TimeUnit.SECONDS)).isTrue();
                        return AgentResponse.finish("w1");
                    }
                    assertThat(p1Forked.await(10, TimeUnit.SECONDS)).isTrue();
                    return AgentResponse.handOff("P1", "cross");
                });
        Topology t = Topology.builder()
                .edge("Start -> P1")
                .edge("Start -> P2")
                .edge("P1 <-> W")
                .edge("P2 <-> W")
                .edge("P1 -> End")
                .edge("P2 -> End")
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponses()).containsExactlyInAnyOrder("P1 got [w1]", "P2 got [P1 handled cross]");
    }

    @Test
    void reply_unconditionalAndMatchingConditionalEdge_bothHoldAndFork() {
        agents.register(
                        "A",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.reply("job").label("x")
                                : AgentResponse.finish(values(r.input())))
                .register("B", r -> AgentResponse.finish("b"))
                .register("C", r -> AgentResponse.finish("c"))
                .register("D", r -> AgentResponse.finish("d"));
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("A -> C [when x]")
                .edge("A -> D [when y]")
                .edge("A -> End [when done]")
                .edge("B -> End")
                .edge("C -> End")
                .edge("D -> End")
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("b", "c"));
        assertThat(result.wasAgentInvoked("D")).isFalse();
    }

    @Test
    void fork_descendantsDetourThroughARendezvous_forkWaitsForTheResolverThatHandsBack() {
        List<Object> hubInputs = new CopyOnWriteArrayList<>();
        agents.register("Hub", r -> {
                    hubInputs.add(r.input());
                    return r.arrivals().isEmpty()
                            ? AgentResponse.parallel(Invocation.of("A", 1), Invocation.of("B", 2))
                            : AgentResponse.finish("hub saw "
                                    + r.arrivals().stream().map(Arrival::agent).toList());
                })
                .register("A", r -> AgentResponse.handOff("R", "a"))
                .register("B", r -> AgentResponse.handOff("R", "b"))
                .register(
                        "R",
                        r -> AgentResponse.handOff(
                                "Hub", "R saw " + r.arrivals().size()));
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub -> A")
                .edge("Hub -> B")
                .edge("A -> R")
                .edge("B -> R")
                .edge("R -> Hub")
                .edge("Hub -> End")
                .convergence("Hub", ConvergenceMode.DISABLED)
                .build();

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(hubInputs).hasSize(2);
        assertThat(result.finalResponse()).isEqualTo("hub saw [R]");
        assertThat(result.branchResults())
                .allSatisfy(b -> assertThat(b.status().isSettled()).isTrue());
    }

    @Test
    void maxSteps_forkedBranchesLoopingTogether_countsStepsOverAllBranches() {
        agents.register("Hub", r -> AgentResponse.parallel(Invocation.of("W", 1), Invocation.of("W", 2)))
                .register("W", r -> AgentResponse.handOff("W2", r.input()))
                .register("W2", r -> AgentResponse.handOff("W", r.input()));
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W")
                .edge("W <-> W2")
                .edge("Hub -> End")
                .build();

        OrchestraResult result = Orchestra.run(
                "task", t, RunOptions.builder().agents(agents).maxSteps(9).build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.totalSteps()).isEqualTo(9);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("maxSteps (9)"));
    }

    @Test
    void stepTimeout_isARetryableTimeout_theNextAttemptRunsAndSucceeds() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        agents.register("Slow", r -> {
            if (r.attempt() == 1) {
                firstStarted.countDown();
                new CountDownLatch(1).await();
            }
            return AgentResponse.finish(
                    "attempt " + r.attempt() + " after " + r.error().map(ErrorContext::category));
        });
        Topology t =
                Topology.builder().edge("Start -> Slow").edge("Slow -> End").build();
        MutableClock clock = MutableClock.atEpoch();
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

        SessionHandle handle = instance.start("task", Map.of());
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(31));
        OrchestraResult result = handle.await();
        instance.close();

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("attempt 2 after Optional[TIMEOUT]");
        assertThat(result.metrics().timeouts()).isEqualTo(1);
        assertThat(result.metrics().retries()).isEqualTo(1);
        assertThat(result.executionTrace().getFirst().error())
                .hasValueSatisfying(e -> assertThat(e).contains("stepTimeout").contains("Slow"));
    }

    @Test
    void forkChild_throwsStackOverflowError_failsTheForkAtOnceInsteadOfHanging() {
        Topology t = fanOut(2, r -> {
            if (Integer.valueOf(0).equals(r.input())) {
                throw new StackOverflowError("deeply nested model output");
            }
            return AgentResponse.finish("ok");
        });

        OrchestraResult result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> run(
                        t,
                        RunOptions.builder()
                                .errorConfig(ErrorHandlingConfig.builder()
                                        .maxRetries(0)
                                        .build())),
                "an Error in a forked step must settle its branch, not leave the fork waiting for branchTimeout");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("StackOverflowError"));
    }
}
