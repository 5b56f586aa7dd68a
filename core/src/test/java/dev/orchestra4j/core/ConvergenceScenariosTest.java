package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class ConvergenceScenariosTest {

    private final AgentRegistry agents = AgentRegistry.create();

    private OrchestraResult run(Topology topology, ExecutionConfig config) {
        return Orchestra.run(
                "task",
                topology,
                RunOptions.builder().agents(agents).executionConfig(config).build());
    }

    private OrchestraResult run(Topology topology) {
        return run(topology, ExecutionConfig.defaults());
    }

    private static List<Object> values(Object input) {
        return ((List<?>) input).stream().map(a -> ((Arrival) a).value()).toList();
    }

    @Test
    void run_rendezvousAggregator_runsExactlyOnceWithBothInputs() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("Start -> B")
                .edge("A -> Agg")
                .edge("B -> Agg")
                .edge("Agg -> End")
                .build();
        List<Object> aggInputs = new CopyOnWriteArrayList<>();
        agents.register("A", r -> AgentResponse.handOff("Agg", "a"))
                .register("B", r -> AgentResponse.handOff("Agg", "b"))
                .register("Agg", r -> {
                    aggInputs.add(r.input());
                    return AgentResponse.finish(
                            values(r.input()).stream().sorted().toList());
                });

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(aggInputs).hasSize(1);
        assertThat(result.finalResponse()).isEqualTo(List.of("a", "b"));
        assertThat(result.finalResponses()).hasSize(1);
    }

    @Test
    void run_branchFinishingWhileAnotherFeedsARendezvous_rendezvousStillRunsBeforeTheRunEnds() {
        Topology t = Topology.builder()
                .edge("Start -> X")
                .edge("Start -> Y")
                .edge("X -> R")
                .edge("Y -> R")
                .edge("Y -> End")
                .edge("R -> End")
                .build();
        agents.register("X", r -> AgentResponse.handOff("R", "x"))
                .register("Y", r -> AgentResponse.finish("y"))
                .register("R", r -> AgentResponse.finish("R saw " + ((List<?>) r.input()).size()));

        OrchestraResult result =
                run(t, ExecutionConfig.builder().maxConcurrentSteps(1).build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponses()).containsExactlyInAnyOrder("y", "R saw 1");
        assertThat(result.branchResults())
                .allSatisfy(b -> assertThat(b.status().isSettled()).isTrue());
    }

    @Test
    void run_parallelInvokeOfRendezvous_aggregatesWithOtherPathsInsteadOfRunningTwice() {
        Topology t = dev.orchestra4j.topology.PatternConfig.pipeline(List.of(
                dev.orchestra4j.topology.Stage.parallel("in", "X", "Y"),
                dev.orchestra4j.topology.Stage.parallel("mid", "P", "Q"),
                dev.orchestra4j.topology.Stage.of("out", "Z")));
        List<Object> pInputs = new CopyOnWriteArrayList<>();
        agents.register("X", r -> AgentResponse.parallel(Invocation.of("P", "x"), Invocation.of("Q", "x")))
                .register("Y", r -> AgentResponse.parallel(Invocation.of("P", "y"), Invocation.of("Q", "y")))
                .register("P", r -> {
                    pInputs.add(values(r.input()));
                    return AgentResponse.handOff("Z", "p" + values(r.input()).size());
                })
                .register(
                        "Q",
                        r -> AgentResponse.handOff("Z", "q" + values(r.input()).size()))
                .register(
                        "Z",
                        r -> AgentResponse.finish(values(r.input()).stream()
                                .map(String::valueOf)
                                .sorted()
                                .toList()));

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(pInputs).hasSize(1);
        assertThat(((List<?>) pInputs.getFirst())
                        .stream().map(String::valueOf).sorted().toList())
                .containsExactly("x", "y");
        assertThat(result.agentInvocationCount("Z")).isEqualTo(1);
        assertThat(result.finalResponse()).isEqualTo(List.of("p2", "q2"));
    }

    @Test
    void run_nestedForks_twoLevelsEachResumeTheirOwnParent() {
        Topology t = Topology.builder()
                .edge("Start -> Top")
                .edge("Top <-> Mid1")
                .edge("Top <-> Mid2")
                .edge("Mid1 <-> Leaf")
                .edge("Mid2 <-> Leaf")
                .edge("Top -> End")
                .build();
        agents.register(
                        "Top",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Mid1", "m1"), Invocation.of("Mid2", "m2"))
                                : AgentResponse.finish(values(r.input())))
                .register(
                        "Mid1",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Leaf", "1a"), Invocation.of("Leaf", "1b"))
                                : AgentResponse.finish("mid1" + values(r.input())))
                .register(
                        "Mid2",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Leaf", "2a"), Invocation.of("Leaf", "2b"))
                                : AgentResponse.finish("mid2" + values(r.input())))
                .register("Leaf", r -> AgentResponse.finish(r.input() + "!"));

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("mid1[1a!, 1b!]", "mid2[2a!, 2b!]"));
        assertThat(result.agentInvocationCount("Leaf")).isEqualTo(4);
    }

    @Test
    void run_chainedRendezvous_eachAggregatorRunsOnce() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("Start -> B")
                .edge("Start -> D")
                .edge("A -> C")
                .edge("B -> C")
                .edge("C -> E")
                .edge("D -> E")
                .edge("E -> End")
                .build();
        AtomicInteger cRuns = new AtomicInteger();
        AtomicInteger eRuns = new AtomicInteger();
        agents.register("A", r -> AgentResponse.handOff("C", "a"))
                .register("B", r -> AgentResponse.handOff("C", "b"))
                .register("D", r -> AgentResponse.handOff("E", "d"))
                .register("C", r -> {
                    cRuns.incrementAndGet();
                    return AgentResponse.handOff("E", "c" + values(r.input()).size());
                })
                .register("E", r -> {
                    eRuns.incrementAndGet();
                    return AgentResponse.finish(values(r.input()).stream()
                            .map(String::valueOf)
                            .sorted()
                            .toList());
                });

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(cRuns).hasValue(1);
        assertThat(eRuns).hasValue(1);
        assertThat(result.finalResponse()).isEqualTo(List.of("c2", "d"));
    }

    @Test
    void run_loopBackToTheEntryAgent_secondLapGetsThePlainMessageOnTheSameBranch() {
        // D4: 'Tester -> Planner [when fail]' is a loop back, not a second input into Planner
        Topology t = Topology.builder()
                .edge("Start -> Planner")
                .edge("Planner -> Coder")
                .edge("Coder -> Tester")
                .edge("Tester -> Planner [when fail]")
                .edge("Tester -> End [when pass]")
                .build();
        List<Object> plannerInputs = new CopyOnWriteArrayList<>();
        List<String> plannerBranches = new CopyOnWriteArrayList<>();
        AtomicInteger tests = new AtomicInteger();
        agents.register("Planner", r -> {
                    plannerInputs.add(r.input());
                    plannerBranches.add(r.branchId());
                    return AgentResponse.handOff("Coder", "plan " + plannerInputs.size());
                })
                .register("Coder", r -> AgentResponse.handOff("Tester", "code for " + r.input()))
                .register(
                        "Tester",
                        r -> tests.incrementAndGet() < 2
                                ? AgentResponse.reply("tests failed").label("fail")
                                : AgentResponse.reply("all green").label("pass"));

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(plannerInputs).containsExactly("task", "tests failed");
        assertThat(plannerBranches).hasSize(2).containsOnly(plannerBranches.getFirst());
        assertThat(result.finalResponse()).isEqualTo("all green");
    }

    @Test
    void run_loopThroughRendezvous_passesTwiceThroughFreshBarriers() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("A -> C")
                .edge("B -> D")
                .edge("C -> D")
                .edge("D -> A [when again]")
                .edge("D -> End [when done]")
                .build();
        AtomicInteger dRuns = new AtomicInteger();
        agents.register("A", r -> AgentResponse.parallel(Invocation.of("B", "b"), Invocation.of("C", "c")))
                .register("B", r -> AgentResponse.handOff("D", "from B"))
                .register("C", r -> AgentResponse.handOff("D", "from C"))
                .register(
                        "D",
                        r -> dRuns.incrementAndGet() < 2
                                ? AgentResponse.reply("round " + dRuns.get()).label("again")
                                : AgentResponse.reply("finished after " + dRuns.get())
                                        .label("done"));

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(dRuns).hasValue(2);
        assertThat(result.agentInvocationCount("B")).isEqualTo(2);
        assertThat(result.finalResponse()).isEqualTo("finished after 2");
    }

    @Test
    void run_pipelineWithLocalFork_forkJoinsInsideTheStage() {
        Topology t = Topology.builder()
                .edge("Start -> Extract")
                .edge("Extract -> Transform")
                .edge("Transform <-> CleanA")
                .edge("Transform <-> CleanB")
                .edge("Transform -> Load")
                .edge("Load -> End")
                .build();
        agents.register("Extract", r -> AgentResponse.handOff("Transform", "rows"))
                .register(
                        "Transform",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(
                                        Invocation.of("CleanA", r.input()), Invocation.of("CleanB", r.input()))
                                : AgentResponse.handOff("Load", values(r.input())))
                .register("CleanA", r -> AgentResponse.finish("A(" + r.input() + ")"))
                .register("CleanB", r -> AgentResponse.finish("B(" + r.input() + ")"))
                .register("Load", r -> AgentResponse.finish("loaded " + r.input()));

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("loaded [A(rows), B(rows)]");
    }

    @Test
    void run_majorityPolicy_proceedsWithPartialInput() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("Hub <-> W3")
                .edge("Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(
                                        Invocation.of("W1", 1), Invocation.of("W2", 2), Invocation.of("W3", 3))
                                : AgentResponse.finish(values(r.input())))
                .register("W1", r -> AgentResponse.finish("one"))
                .register("W2", r -> AgentResponse.fail("nope"))
                .register("W3", r -> AgentResponse.finish("three"));

        OrchestraResult result = run(
                t,
                ExecutionConfig.builder()
                        .convergencePolicy(ConvergencePolicy.MAJORITY)
                        .build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("one", "three"));
        assertThat(result.failedBranches()).hasSize(1);
    }

    @Test
    void run_anyPolicy_proceedsEvenWhenMostFail() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty() && !(r.input() instanceof List<?>)
                                ? AgentResponse.parallel(Invocation.of("W1", 1), Invocation.of("W2", 2))
                                : AgentResponse.finish(values(r.input())))
                .register("W1", r -> AgentResponse.fail("nope"))
                .register("W2", r -> AgentResponse.finish("two"));

        OrchestraResult result = run(
                t,
                ExecutionConfig.builder()
                        .convergencePolicy(ConvergencePolicy.ANY)
                        .build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("two"));
    }

    @Test
    void run_childEscalatesToEndAndParentFinishes_givesTwoFinalResponses() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("W2 -> End")
                .edge("Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty() && !(r.input() instanceof List<?>)
                                ? AgentResponse.parallel(Invocation.of("W1", 1), Invocation.of("W2", 2))
                                : AgentResponse.finish("hub saw " + values(r.input())))
                .register("W1", r -> AgentResponse.finish("w1"))
                .register("W2", r -> AgentResponse.handOff("End", "escalated"));

        OrchestraResult result = run(t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponses()).containsExactly("escalated", "hub saw [w1]");
        assertThat(result.finalResponse()).isEqualTo("hub saw [w1]");
    }
}
