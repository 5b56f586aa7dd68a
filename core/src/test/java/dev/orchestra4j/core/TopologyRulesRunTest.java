package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.PatternConfig;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The topology knobs that shape dispatch, run through the engine: the {@code parallel(A, B, C)} rule, symmetric
 * {@code <|>} peers, loops back to an entry agent (never a rendezvous) and the review rounds of
 * {@link PatternConfig#iterativeRefinement(String, String, int)}.
 */
final class TopologyRulesRunTest {

    private final AgentRegistry agents = AgentRegistry.create();

    private OrchestraResult run(Object task, Topology topology) {
        return Orchestra.run(task, topology, RunOptions.builder().agents(agents).build());
    }

    private static boolean fromStart(AgentRequest request) {
        return "Start".equals(request.from());
    }

    private static List<String> sourcesOf(Object finalResponse) {
        return ((List<?>) finalResponse).stream().map(String::valueOf).toList();
    }

    private static List<String> sources(Object input) {
        return ((List<?>) input).stream().map(a -> ((Arrival) a).agent()).toList();
    }

    @Test
    void parallelRule_handOffToOneMember_forksToEveryMemberAndTheSenderGetsTheAggregate() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edges("Hub <-> Tech", "Hub <-> Finance", "Hub <-> Legal", "Hub -> End")
                .rule("parallel(Tech, Finance)")
                .build();
        agents.register(
                        "Hub",
                        r -> fromStart(r)
                                ? AgentResponse.handOff("Tech", "analyse " + r.input())
                                : AgentResponse.finish(sources(r.input())))
                .register("Tech", r -> AgentResponse.reply("tech on " + r.input()))
                .register("Finance", r -> AgentResponse.reply("finance on " + r.input()))
                .register("Legal", r -> AgentResponse.reply("legal"));

        OrchestraResult result = run("markets", t);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo(List.of("Tech", "Finance"));
        assertThat(result.wasAgentInvoked("Legal")).isFalse();
        assertThat(result.executionTrace())
                .filteredOn(s -> s.agent().equals("Hub"))
                .first()
                .satisfies(s -> assertThat(s.action()).isEqualTo(TraceStep.Action.PARALLEL));
    }

    @Test
    void parallelRule_withoutTheRule_sameHandOffStaysAHandOff() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edges("Hub <-> Tech", "Hub <-> Finance", "Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> fromStart(r)
                                ? AgentResponse.handOff("Tech", "analyse")
                                : AgentResponse.finish("heard from " + r.from() + ": " + r.input()))
                .register("Tech", r -> AgentResponse.reply("tech"))
                .register("Finance", r -> AgentResponse.reply("finance"));

        OrchestraResult result = run("markets", t);

        assertThat(result.finalResponse()).isEqualTo("heard from Tech: tech");
        assertThat(result.wasAgentInvoked("Finance")).isFalse();
    }

    @Test
    void parallelRule_conditionalReplyReachingOneMember_dispatchesTheWholeGroup() {
        Topology t = Topology.builder()
                .edge("Start -> Router")
                .edges("Router -> A [when a]", "Router -> B [when b]", "Router -> Quick [when quick]")
                .edges("A -> Join", "B -> Join", "Quick -> End", "Join -> End")
                .rule("parallel(A, B)")
                .build();
        agents.register("Router", r -> AgentResponse.reply("only A's condition holds")
                        .label("a"))
                .register("A", r -> AgentResponse.reply("a"))
                .register("B", r -> AgentResponse.reply("b"))
                .register("Quick", r -> AgentResponse.finish("quick"))
                .register("Join", r -> AgentResponse.finish(sources(r.input())));

        OrchestraResult result = run("task", t);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.wasAgentInvoked("B")).isTrue();
        assertThat(result.wasAgentInvoked("Quick")).isFalse();
        assertThat(sourcesOf(result.finalResponse())).containsExactlyInAnyOrder("A", "B");
    }

    @Test
    void symmetricPeers_handOffBackAndForth_allowed() {
        Topology t = Topology.builder()
                .edge("Start -> Alice")
                .edges("Alice <|> Bob", "Alice -> End")
                .build();
        agents.register(
                        "Alice",
                        r -> fromStart(r)
                                ? AgentResponse.handOff("Bob", "your turn")
                                : AgentResponse.finish("Bob said " + r.input()))
                .register("Bob", r -> AgentResponse.handOff("Alice", "done"));

        OrchestraResult result = run("talk", t);

        assertThat(result.finalResponse()).isEqualTo("Bob said done");
    }

    @Test
    void symmetricPeers_forkToPeer_steeredThenFailsNamingThePair() {
        Topology t = Topology.builder()
                .edge("Start -> Alice")
                .edges("Alice <|> Bob", "Alice -> Carol", "Carol -> Alice", "Alice -> End")
                .build();
        List<String> steering = new CopyOnWriteArrayList<>();
        agents.register("Alice", r -> {
                    r.error().ifPresent(e -> steering.add(e.message()));
                    if (!fromStart(r)) {
                        return AgentResponse.finish("done");
                    }
                    return r.error().isPresent()
                            ? AgentResponse.handOff("Bob", "alone")
                            : AgentResponse.parallel(Invocation.of("Bob", "x"), Invocation.of("Carol", "y"));
                })
                .register("Bob", r -> AgentResponse.handOff("Alice", "bob"))
                .register("Carol", r -> AgentResponse.handOff("Alice", "carol"));

        OrchestraResult result = run("talk", t);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(steering)
                .singleElement()
                .asString()
                .contains("cannot fork to 'Bob': they are symmetric peers ('Alice <|> Bob')");
        assertThat(result.wasAgentInvoked("Carol")).isFalse();
    }

    @Test
    void bidirectionalPeers_forkToPeer_allowed() {
        Topology t = Topology.builder()
                .edge("Start -> Alice")
                .edges("Alice <-> Bob", "Alice <-> Carol", "Alice -> End")
                .build();
        agents.register(
                        "Alice",
                        r -> fromStart(r)
                                ? AgentResponse.parallel(Invocation.of("Bob", "x"), Invocation.of("Carol", "y"))
                                : AgentResponse.finish(sources(r.input())))
                .register("Bob", r -> AgentResponse.reply("b"))
                .register("Carol", r -> AgentResponse.reply("c"));

        assertThat(run("talk", t).finalResponse()).isEqualTo(List.of("Bob", "Carol"));
    }

    @Test
    void loopBackToEntryAgent_agentGetsThePlainMessageAndKeepsItsMemory() {
        Topology t = Topology.builder()
                .edges("Start -> Planner", "Planner -> Coder", "Coder -> Tester")
                .edges("Tester -> Planner [when fail]", "Tester -> End [when pass]")
                .build();
        assertThat(t.analysis().rendezvousNodes()).isEmpty();
        List<Object> plannerInputs = new CopyOnWriteArrayList<>();
        List<String> plannerBranches = new CopyOnWriteArrayList<>();
        AtomicInteger laps = new AtomicInteger();
        agents.register("Planner", r -> {
                    plannerInputs.add(r.input());
                    plannerBranches.add(r.branchId());
                    return AgentResponse.handOff("Coder", "plan " + r.input());
                })
                .register("Coder", r -> AgentResponse.handOff("Tester", "code for " + r.input()))
                .register(
                        "Tester",
                        r -> laps.incrementAndGet() < 2
                                ? AgentResponse.reply("tests failed").label("fail")
                                : AgentResponse.reply("all green").label("pass"));

        OrchestraResult result = run("build it", t);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(plannerInputs).containsExactly("build it", "tests failed");
        assertThat(plannerBranches).hasSize(2).containsOnly(plannerBranches.get(0));
        assertThat(result.finalResponse()).isEqualTo("all green");
    }

    @Test
    void loopBackToEntryAgent_forcedConvergence_stillWaits() {
        Topology t = Topology.builder()
                .edges("Start -> Planner", "Planner -> Coder", "Coder -> Tester")
                .edges("Tester -> Planner [when fail]", "Tester -> End [when pass]")
                .rule("convergence_point(Planner)")
                .build();
        assertThat(t.analysis().rendezvousNodes()).containsExactly("Planner");
    }

    @Test
    void iterativeRefinement_threeRounds_everyDraftIncludingTheLastIsReviewed() {
        Topology t = PatternConfig.iterativeRefinement("Worker", "Reviewer", 3);
        AtomicInteger drafts = new AtomicInteger();
        List<String> reviewed = new CopyOnWriteArrayList<>();
        agents.register("Worker", r -> AgentResponse.handOff("Reviewer", "draft " + drafts.incrementAndGet()))
                .register("Reviewer", r -> {
                    if (r.error().isPresent()) {
                        return AgentResponse.finish("accepted " + r.input());
                    }
                    reviewed.add(String.valueOf(r.input()));
                    return AgentResponse.handOff("Worker", "again");
                });

        OrchestraResult result = run("essay", t);

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(drafts).hasValue(3);
        assertThat(reviewed).containsExactly("draft 1", "draft 2", "draft 3");
        assertThat(result.finalResponse()).isEqualTo("accepted draft 3");
    }

    @Test
    void iterativeRefinement_oneRound_reviewerMustDecideOnTheFirstDraft() {
        Topology t = PatternConfig.iterativeRefinement("Worker", "Reviewer", 1);
        agents.register("Worker", r -> AgentResponse.handOff("Reviewer", "draft"))
                .register("Reviewer", r -> AgentResponse.handOff("Worker", "again"));

        OrchestraResult result = run("essay", t);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("max_turns (1)"));
        assertThat(result.agentInvocationCount("Worker")).isEqualTo(1);
    }

    @Test
    void maxTurns_conversationThroughAFork_keepsCountingAcrossTheFork() {
        Topology t = Topology.builder()
                .edge("Start -> Writer")
                .edges("Writer <~> Critic", "Writer -> Fact", "Fact -> Writer", "Writer -> End")
                .rule("max_turns(Writer, 3)")
                .build();
        agents.register(
                        "Writer",
                        r -> AgentResponse.parallel(Invocation.of("Critic", "draft"), Invocation.of("Fact", "check")))
                .register("Critic", r -> AgentResponse.handOff("Writer", "notes"))
                .register("Fact", r -> AgentResponse.handOff("Writer", "ok"));

        OrchestraResult result = Orchestra.run(
                "essay",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                        .executionConfig(
                                ExecutionConfig.builder().steeringRetries(0).build())
                        .build());

        // lap 1: Writer -> Critic (1), Critic -> Writer (2); lap 2: Writer -> Critic (3), Critic -> Writer refused
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("max_turns (3)"));
        assertThat(result.agentInvocationCount("Writer")).isEqualTo(2);
    }

    @Test
    void fork_anAgentRepeatedManyTimesThenAForbiddenTarget_isRefusedNamingThatTarget() {
        Topology t = Topology.builder()
                .edges("Start -> Hub", "Hub <-> Worker", "Hub -> End", "Start -> Other", "Other -> End")
                .build();
        List<String> steering = new CopyOnWriteArrayList<>();
        agents.register("Hub", r -> {
                    r.error().ifPresent(e -> steering.add(e.message()));
                    return switch (steering.size()) { // the same agent many times, then one it may not fork to
                        case 0 -> AgentResponse.parallel(fork("Worker", "Worker", "Worker", "Other"));
                        case 1 -> AgentResponse.parallel(fork("Worker", "Worker", "User"));
                        default -> AgentResponse.finish("gave up forking");
                    };
                })
                .register("Worker", r -> AgentResponse.finish("w"))
                .register("Other", r -> AgentResponse.finish("o"));

        OrchestraResult result = Orchestra.run(
                "task",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(
                                ExecutionConfig.builder().steeringRetries(3).build())
                        .build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(steering).hasSize(2);
        assertThat(steering.get(0)).contains("agent 'Hub' cannot invoke 'Other'");
        assertThat(steering.get(1)).contains("cannot ask the user inside a parallel invoke");
        assertThat(result.wasAgentInvoked("Worker")).isFalse();
    }

    private static List<Invocation> fork(String... agents) {
        return java.util.Arrays.stream(agents).map(a -> Invocation.of(a, "x")).toList();
    }
}
