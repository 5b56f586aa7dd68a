package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.PatternConfig;
import dev.orchestra4j.topology.Stage;
import dev.orchestra4j.topology.Topology;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * SPEC §2.3: every {@link PatternConfig} factory is not only built but <em>run</em> through the engine, with small
 * lambda agents that follow the flow the factory documents, and the outcome a user would check is asserted.
 */
final class PatternsRunTest {

    private final AgentRegistry agents = AgentRegistry.create();

    private OrchestraResult run(Object task, Topology topology) {
        return Orchestra.run(task, topology, RunOptions.builder().agents(agents).build());
    }

    private static List<Object> values(Object input) {
        return ((List<?>) input).stream().map(a -> ((Arrival) a).value()).toList();
    }

    private static List<String> sources(Object input) {
        return ((List<?>) input).stream().map(a -> ((Arrival) a).agent()).toList();
    }

    private static final Set<TraceStep.Action> DECISIONS = EnumSet.of(
            TraceStep.Action.INVOKE, TraceStep.Action.PARALLEL, TraceStep.Action.FINISH, TraceStep.Action.REPLY);

    /** The agents of the trace's successful agent steps, in order. */
    private static List<String> steps(OrchestraResult result) {
        return result.executionTrace().stream()
                .filter(s -> DECISIONS.contains(s.action()))
                .map(TraceStep::agent)
                .toList();
    }

    private static void assertCompleted(OrchestraResult result) {
        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponses()).hasSize(1);
        assertThat(result.failedBranches()).isEmpty();
    }

    // ---------------------------------------------------------------- hub and spoke

    @Test
    void hubAndSpoke_sequential_hubHandsOffToEachSpokeInTurnAndHearsBack() {
        Topology t = PatternConfig.hubAndSpoke("Editor", List.of("Researcher", "Writer"), false);
        agents.register("Editor", r -> switch (String.valueOf(r.from())) {
                    case "Researcher" -> AgentResponse.handOff("Writer", r.input());
                    case "Writer" -> AgentResponse.finish("edited(" + r.input() + ")");
                    default -> AgentResponse.handOff("Researcher", r.input());
                })
                .register("Researcher", r -> AgentResponse.reply("facts on " + r.input()))
                .register("Writer", r -> AgentResponse.reply("article from " + r.input()));

        OrchestraResult result = run("tides", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("edited(article from facts on tides)");
        assertThat(steps(result)).containsExactly("Editor", "Researcher", "Editor", "Writer", "Editor");
        assertThat(result.agentInvocationCount("Editor")).isEqualTo(3);
        assertThat(result.agentInvocationCount("Researcher")).isEqualTo(1);
        assertThat(result.agentInvocationCount("Writer")).isEqualTo(1);
    }

    @Test
    void hubAndSpoke_parallelSpokes_hubForksAllSpokesAndFinishesWithTheJoinedArrivals() {
        Topology t = PatternConfig.hubAndSpoke("Hub", List.of("S1", "S2", "S3"), true);
        List<Object> hubInputs = new CopyOnWriteArrayList<>();
        agents.register("Hub", r -> {
                    hubInputs.add(r.input());
                    return r.arrivals().isEmpty()
                            ? AgentResponse.parallel(
                                    Invocation.of("S1", r.input()),
                                    Invocation.of("S2", r.input()),
                                    Invocation.of("S3", r.input()))
                            : AgentResponse.finish(String.join(
                                    " + ",
                                    values(r.input()).stream()
                                            .map(String::valueOf)
                                            .toList()));
                })
                .register("S1", r -> AgentResponse.reply("s1:" + r.input()))
                .register("S2", r -> AgentResponse.finish("s2:" + r.input()))
                .register("S3", r -> AgentResponse.handOff("Hub", "s3:" + r.input()));

        OrchestraResult result = run("q", t);

        assertCompleted(result);
        // reply (routed by the one edge back), finish and an explicit invoke of the hub all return to the fork
        assertThat(result.finalResponse()).isEqualTo("s1:q + s2:q + s3:q");
        assertThat(hubInputs).hasSize(2);
        assertThat(sources(hubInputs.get(1))).containsExactly("S1", "S2", "S3");
        assertThat(result.agentInvocationCount("Hub")).isEqualTo(2);
        for (String spoke : List.of("S1", "S2", "S3")) {
            assertThat(result.agentInvocationCount(spoke)).as(spoke).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- pipeline

    @Test
    void pipeline_parallelStage_feedsARendezvousThatRunsOnceWithBothResults() {
        Topology t = PatternConfig.pipeline(List.of(
                Stage.of("ingest", "Fetch", "Clean"),
                Stage.parallel("analyze", "Stats", "Sentiment"),
                Stage.of("report", "Report")));
        List<Object> reportInputs = new CopyOnWriteArrayList<>();
        agents.register("Fetch", r -> AgentResponse.reply("raw(" + r.input() + ")"))
                // Clean has two successors: a reply forks them both
                .register("Clean", r -> AgentResponse.reply("clean(" + r.input() + ")"))
                .register("Stats", r -> AgentResponse.reply("stats of " + r.input()))
                .register("Sentiment", r -> AgentResponse.handOff("Report", "mood of " + r.input()))
                .register("Report", r -> {
                    reportInputs.add(r.input());
                    Map<String, Object> byStage = new TreeMap<>();
                    r.arrivals().forEach(a -> byStage.put(a.agent(), a.value()));
                    return AgentResponse.reply(byStage);
                });

        OrchestraResult result = run("reviews", t);

        assertCompleted(result);
        assertThat(reportInputs).hasSize(1);
        assertThat(sources(reportInputs.getFirst())).containsExactlyInAnyOrder("Stats", "Sentiment");
        assertThat(result.finalResponse())
                .isEqualTo(Map.of(
                        "Sentiment", "mood of clean(raw(reviews))",
                        "Stats", "stats of clean(raw(reviews))"));
        for (String agent : List.of("Fetch", "Clean", "Stats", "Sentiment", "Report")) {
            assertThat(result.agentInvocationCount(agent)).as(agent).isEqualTo(1);
        }
    }

    @Test
    void pipeline_startingWithAParallelStage_bothEntriesRunAndTheNextStageAggregatesThem() {
        Topology t = PatternConfig.pipeline(
                List.of(Stage.parallel("draft", "Optimist", "Pessimist"), Stage.of("merge", "Merge", "Polish")));
        List<Object> mergeInputs = new CopyOnWriteArrayList<>();
        agents.register("Optimist", r -> AgentResponse.reply("+" + r.input()))
                .register("Pessimist", r -> AgentResponse.reply("-" + r.input()))
                .register("Merge", r -> {
                    mergeInputs.add(r.input());
                    return AgentResponse.reply(values(r.input()).stream()
                            .map(String::valueOf)
                            .sorted()
                            .toList());
                })
                .register("Polish", r -> AgentResponse.reply("polished " + r.input()));

        OrchestraResult result = run("plan", t);

        assertCompleted(result);
        assertThat(mergeInputs).hasSize(1);
        assertThat(result.finalResponse()).isEqualTo("polished [+plan, -plan]");
        assertThat(result.agentInvocationCount("Merge")).isEqualTo(1);
        assertThat(result.agentInvocationCount("Polish")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- mesh

    @Test
    void mesh_peersHandWorkAroundAndAnyPeerDeliversTheAnswer() {
        Topology t = PatternConfig.mesh(List.of("Alice", "Bob", "Carol"));
        agents.register(
                        "Alice",
                        r -> "Start".equals(r.from())
                                ? AgentResponse.handOff("Carol", r.input() + ">A")
                                : AgentResponse.handOff("Bob", r.input() + ">A"))
                .register("Bob", r -> AgentResponse.finish(r.input() + ">B"))
                .register("Carol", r -> AgentResponse.handOff("Alice", r.input() + ">C"));

        OrchestraResult result = run("x", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("x>A>C>A>B");
        assertThat(steps(result)).containsExactly("Alice", "Carol", "Alice", "Bob");
        assertThat(result.agentInvocationCount("Alice")).isEqualTo(2);
    }

    @Test
    void mesh_aPeerCanConsultTheOthersInParallelAndHearBack() {
        Topology t = PatternConfig.mesh(List.of("Alice", "Bob", "Carol"));
        agents.register(
                        "Alice",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Bob", "b?"), Invocation.of("Carol", "c?"))
                                : AgentResponse.finish(values(r.input())))
                .register("Bob", r -> AgentResponse.handOff("Alice", "bob says hi"))
                .register("Carol", r -> AgentResponse.finish("carol says hi"));

        OrchestraResult result = run("x", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo(List.of("bob says hi", "carol says hi"));
        assertThat(result.agentInvocationCount("Alice")).isEqualTo(2);
    }

    // ---------------------------------------------------------------- hierarchical

    @Test
    void hierarchical_managersDelegateToTheirReportsAndTheRootDeliversTheRollUp() {
        Map<String, List<String>> tree = new LinkedHashMap<>();
        tree.put("CEO", List.of("CTO", "CFO"));
        tree.put("CTO", List.of("Dev", "QA"));
        Topology t = PatternConfig.hierarchical(tree);
        agents.register(
                        "CEO",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(
                                        Invocation.of("CTO", "ship it"), Invocation.of("CFO", "fund it"))
                                : AgentResponse.finish("CEO approves " + values(r.input())))
                .register(
                        "CTO",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Dev", "build"), Invocation.of("QA", "test"))
                                : AgentResponse.finish("tech" + values(r.input())))
                .register("CFO", r -> AgentResponse.reply("budget ok"))
                .register("Dev", r -> AgentResponse.reply("built"))
                .register("QA", r -> AgentResponse.finish("tested"));

        OrchestraResult result = run("launch", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("CEO approves [tech[built, tested], budget ok]");
        assertThat(result.agentInvocationCount("CEO")).isEqualTo(2);
        assertThat(result.agentInvocationCount("CTO")).isEqualTo(2);
        for (String leaf : List.of("CFO", "Dev", "QA")) {
            assertThat(result.agentInvocationCount(leaf)).as(leaf).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- star

    @Test
    void star_bidirectional_centerForksItsPointsAndTheirRepliesComeBack() {
        Topology t = PatternConfig.star("Center", List.of("North", "South"), true);
        agents.register(
                        "Center",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Map.of("North", "n", "South", "s").entrySet().stream()
                                        .sorted(Map.Entry.comparingByKey())
                                        .map(e -> Invocation.of(e.getKey(), e.getValue()))
                                        .toList())
                                : AgentResponse.finish(values(r.input())))
                // the only edge out of a point leads back to the center: a reply returns there
                .register("North", r -> AgentResponse.reply("N(" + r.input() + ")"))
                .register("South", r -> AgentResponse.reply("S(" + r.input() + ")"));

        OrchestraResult result = run("go", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo(List.of("N(n)", "S(s)"));
        assertThat(result.agentInvocationCount("Center")).isEqualTo(2);
        assertThat(result.agentInvocationCount("North")).isEqualTo(1);
        assertThat(result.agentInvocationCount("South")).isEqualTo(1);
    }

    @Test
    void star_oneWay_pointsInsideTheCentersForkReturnToIt() {
        Topology t = PatternConfig.star("Center", List.of("North", "South"), false);
        agents.register(
                        "Center",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("North", "n"), Invocation.of("South", "s"))
                                : AgentResponse.finish("center saw " + values(r.input())))
                // a point's only edge is to End: its reply finishes, which inside the fork returns to the center
                .register("North", r -> AgentResponse.reply("N(" + r.input() + ")"))
                .register("South", r -> AgentResponse.finish("S(" + r.input() + ")"));

        OrchestraResult result = run("go", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("center saw [N(n), S(s)]");
        assertThat(result.agentInvocationCount("Center")).isEqualTo(2);
    }

    @Test
    void star_oneWay_aPointHandedTheWorkFinishesTheRunItself() {
        Topology t = PatternConfig.star("Center", List.of("North", "South"), false);
        agents.register("Center", r -> AgentResponse.handOff("South", "route " + r.input()))
                .register("North", r -> AgentResponse.reply("unused"))
                .register("South", r -> AgentResponse.reply("S handled " + r.input()));

        OrchestraResult result = run("go", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("S handled route go");
        assertThat(result.agentInvocationCount("Center")).isEqualTo(1);
        assertThat(result.wasAgentInvoked("North")).isFalse();
    }

    // ---------------------------------------------------------------- ring

    @Test
    void ring_oneWay_workGoesRoundTwiceAndTheFirstAgentPassesEachLapThrough() {
        Topology t = PatternConfig.ring(List.of("A", "B", "C"), false);
        List<Object> aInputs = new CopyOnWriteArrayList<>();
        agents.register("A", r -> {
                    aInputs.add(r.input());
                    return AgentResponse.reply(r.input() + "a");
                })
                .register("B", r -> AgentResponse.reply(r.input() + "b"))
                // C has two exits (back to A, and End): it decides explicitly
                .register(
                        "C",
                        r -> !r.inputText().contains("|")
                                ? AgentResponse.handOff("A", r.input() + "c|")
                                : AgentResponse.finish(r.input() + "c"));

        OrchestraResult result = run(">", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo(">abc|abc");
        // DISABLED convergence: A runs once per lap with the plain value, never an aggregate
        assertThat(aInputs).containsExactly(">", ">abc|");
        for (String agent : List.of("A", "B", "C")) {
            assertThat(result.agentInvocationCount(agent)).as(agent).isEqualTo(2);
        }
    }

    @Test
    void ring_bidirectional_workMayTravelBothWaysRoundTheCircle() {
        Topology t = PatternConfig.ring(List.of("A", "B", "C"), true);
        agents.register("A", r -> AgentResponse.handOff("B", r.input() + "A"))
                .register("B", r -> AgentResponse.handOff("C", r.input() + "B"))
                // first visit: send the work back the other way round; second visit: deliver
                .register(
                        "C",
                        r -> r.inputText().endsWith("AB")
                                ? AgentResponse.handOff("B", r.input() + "C")
                                : AgentResponse.finish(r.input() + "C"));

        OrchestraResult result = run("", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("ABCBC");
        assertThat(steps(result)).containsExactly("A", "B", "C", "B", "C");
    }

    // ---------------------------------------------------------------- broadcast

    @Test
    void broadcast_withReplies_receiversAnswerTheBroadcasterWhichFinishesOnce() {
        Topology t = PatternConfig.broadcast("Announcer", List.of("R1", "R2", "R3"), true);
        agents.register(
                "Announcer",
                r -> r.arrivals().isEmpty()
                        ? AgentResponse.parallel(
                                Invocation.of("R1", r.input()),
                                Invocation.of("R2", r.input()),
                                Invocation.of("R3", r.input()))
                        : AgentResponse.finish(values(r.input())));
        for (String receiver : List.of("R1", "R2", "R3")) {
            agents.register(receiver, r -> AgentResponse.reply(receiver + " ack " + r.input()));
        }

        OrchestraResult result = run("news", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo(List.of("R1 ack news", "R2 ack news", "R3 ack news"));
        assertThat(result.agentInvocationCount("Announcer")).isEqualTo(2);
    }

    @Test
    void broadcast_withoutReplies_receiversFinishBackIntoTheBroadcastersFork() {
        Topology t = PatternConfig.broadcast("Announcer", List.of("R1", "R2"), false);
        agents.register(
                "Announcer",
                r -> r.arrivals().isEmpty()
                        // the broadcaster's edges all lead to receivers or End: parallel is explicit
                        ? AgentResponse.parallel(Invocation.of("R1", r.input()), Invocation.of("R2", r.input()))
                        : AgentResponse.finish("delivered to " + sources(r.input())));
        agents.register("R1", r -> AgentResponse.reply("R1 got " + r.input()))
                .register("R2", r -> AgentResponse.finish("R2 got " + r.input()));

        OrchestraResult result = run("news", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("delivered to [R1, R2]");
        assertThat(result.agentInvocationCount("Announcer")).isEqualTo(2);
        assertThat(result.agentInvocationCount("R1")).isEqualTo(1);
        assertThat(result.agentInvocationCount("R2")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- workflow templates

    @Test
    void criticRevise_writerRevisesUntilTheCriticApproves() {
        Topology t = PatternConfig.criticRevise("Writer", "Critic");
        agents.register("Writer", r -> {
                    String in = r.inputText();
                    if (in.startsWith("approved ")) {
                        return AgentResponse.finish("final " + in.substring("approved ".length()));
                    }
                    int version = in.startsWith("revise v") ? Integer.parseInt(in.substring("revise v".length())) : 0;
                    return AgentResponse.handOff("Critic", "v" + (version + 1));
                })
                // the critic's only edge leads back to the writer
                .register(
                        "Critic",
                        r -> AgentResponse.reply(
                                r.inputText().equals("v3") ? "approved v3" : "revise " + r.inputText()));

        OrchestraResult result = run("essay", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("final v3");
        assertThat(result.agentInvocationCount("Critic")).isEqualTo(3);
        assertThat(result.agentInvocationCount("Writer")).isEqualTo(4);
    }

    @Test
    void parallelExperts_coordinatorFansOutAndTheSynthesizerRunsOnceWithEveryAnswer() {
        Topology t = PatternConfig.parallelExperts("Coordinator", List.of("Law", "Tech", "Money"), "Synthesizer");
        List<Object> synthInputs = new CopyOnWriteArrayList<>();
        // the coordinator's edges lead to the three experts: a reply forks them all
        agents.register("Coordinator", r -> AgentResponse.reply("assess " + r.input()))
                .register("Law", r -> AgentResponse.reply("law: fine"))
                .register("Tech", r -> AgentResponse.handOff("Synthesizer", "tech: feasible"))
                .register("Money", r -> AgentResponse.reply("money: cheap"))
                .register("Synthesizer", r -> {
                    synthInputs.add(r.input());
                    return AgentResponse.reply(values(r.input()).stream()
                            .map(String::valueOf)
                            .sorted()
                            .toList());
                });

        OrchestraResult result = run("plan", t);

        assertCompleted(result);
        assertThat(synthInputs).hasSize(1);
        assertThat(sources(synthInputs.getFirst())).containsExactlyInAnyOrder("Law", "Tech", "Money");
        assertThat(result.finalResponse()).isEqualTo(List.of("law: fine", "money: cheap", "tech: feasible"));
        assertThat(result.agentInvocationCount("Coordinator")).isEqualTo(1);
        assertThat(result.agentInvocationCount("Synthesizer")).isEqualTo(1);
        assertThat(result.branchResults())
                .as("a fan-in through the synthesizer leaves no branch abandoned in a completed run (D24)")
                .allSatisfy(b -> assertThat(b.status()).isEqualTo(BranchStatus.COMPLETED));
    }

    @Test
    void chainOfThought_stepsRunOnceEachInTheirOrder() {
        Topology t = PatternConfig.chainOfThought("Understand", "Plan", "Solve", "Check");
        for (String step : List.of("Understand", "Plan", "Solve", "Check")) {
            agents.register(step, r -> AgentResponse.reply(r.input() + " > " + step));
        }

        OrchestraResult result = run("2+2", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("2+2 > Understand > Plan > Solve > Check");
        assertThat(steps(result)).containsExactly("Understand", "Plan", "Solve", "Check");
    }

    @Test
    void iterativeRefinement_reviewerAcceptsBeforeTheLimit() {
        Topology t = PatternConfig.iterativeRefinement("Worker", "Reviewer", 5);
        agents.register(
                        "Worker",
                        r -> AgentResponse.handOff("Reviewer", r.inputText().startsWith("redo ") ? "draft2" : "draft1"))
                // the reviewer has two exits (back to the worker, and End): it decides explicitly
                .register(
                        "Reviewer",
                        r -> r.inputText().equals("draft2")
                                ? AgentResponse.finish("accepted " + r.input())
                                : AgentResponse.handOff("Worker", "redo " + r.input()));

        OrchestraResult result = run("go", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("accepted draft2");
        assertThat(result.agentInvocationCount("Worker")).isEqualTo(2);
        assertThat(result.agentInvocationCount("Reviewer")).isEqualTo(2);
    }

    @Test
    void iterativeRefinement_neverAccepted_stopsAtMaxTurnsWithAClearError() {
        Topology t = PatternConfig.iterativeRefinement("Worker", "Reviewer", 3);
        agents.register("Worker", r -> AgentResponse.handOff("Reviewer", "draft"))
                .register("Reviewer", r -> AgentResponse.handOff("Worker", "not yet"));

        OrchestraResult result = run("go", t);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        // 3 review rounds: 3 drafts go to the reviewer, 2 go back, so max_turns is 5 hand-offs in both directions
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("agent 'Reviewer' failed")
                .contains("max_turns (5) between 'Reviewer' and 'Worker'"));
        assertThat(result.finalResponses()).isEmpty();
        assertThat(steps(result)).containsExactly("Worker", "Reviewer", "Worker", "Reviewer", "Worker");
        assertThat(result.executionTrace())
                .filteredOn(s -> s.action() == TraceStep.Action.INVOKE)
                .hasSize(5);
    }

    @Test
    void iterativeRefinement_atTheLimit_theReviewerSteeredByTheTurnLimitAcceptsTheLastDraft() {
        Topology t = PatternConfig.iterativeRefinement("Worker", "Reviewer", 3);
        List<String> steering = new CopyOnWriteArrayList<>();
        agents.register("Worker", r -> AgentResponse.handOff("Reviewer", "draft after " + r.input()))
                .register("Reviewer", r -> {
                    if (r.error().isPresent()) {
                        steering.add(r.error().get().message());
                        return AgentResponse.finish("accepted " + r.input());
                    }
                    return AgentResponse.handOff("Worker", "notes");
                });

        OrchestraResult result = run("go", t);

        assertCompleted(result);
        assertThat(result.finalResponse()).isEqualTo("accepted draft after notes");
        assertThat(steering).singleElement().asString().contains("max_turns (5)");
        assertThat(result.agentInvocationCount("Worker")).isEqualTo(3);
        assertThat(result.agentInvocationCount("Reviewer")).isEqualTo(4);
    }
}
