package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The helpers and renderings of {@link OrchestraResult} (SPEC §7), checked on results of real runs. */
final class OrchestraResultTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentRegistry agents = AgentRegistry.create();

    /**
     * Hub forks W1 and W2 (one step at a time, so the trace order is fixed); W1 fails once with a retryable error and
     * then answers, W2 fails for good; the ANY fork proceeds, Hub hands off to Writer, Writer finishes.
     */
    private OrchestraResult forkWithRetryAndFailure() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("Hub -> Writer")
                .edge("Writer -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("W1", "q1"), Invocation.of("W2", "q2"))
                                : AgentResponse.handOff("Writer", "draft"))
                .register(
                        "W1",
                        r -> r.attempt() == 1
                                ? AgentResponse.fail("flaky", ErrorCategory.TIMEOUT)
                                : AgentResponse.finish("r1"))
                .register("W2", r -> AgentResponse.fail("broken"))
                .register("Writer", r -> AgentResponse.finish("final text"));
        return Orchestra.run(
                "task",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(ExecutionConfig.builder()
                                .maxConcurrentSteps(1)
                                .convergencePolicy(ConvergencePolicy.ANY)
                                .build())
                        .errorConfig(ErrorHandlingConfig.builder()
                                .maxRetries(1)
                                .baseDelay(Duration.ofMillis(1))
                                .build())
                        .build());
    }

    private OrchestraResult finishWith(Object answer) {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        agents.register("A", r -> AgentResponse.finish(answer));
        return Orchestra.run("task", t, RunOptions.builder().agents(agents).build());
    }

    @Test
    void invocationHelpers_countEveryAttemptPerAgent() {
        OrchestraResult result = forkWithRetryAndFailure();

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.wasAgentInvoked("W2")).isTrue();
        assertThat(result.wasAgentInvoked("Nobody")).isFalse();
        assertThat(result.agentInvocationCount("Hub")).isEqualTo(2);
        assertThat(result.agentInvocationCount("W1")).isEqualTo(2);
        assertThat(result.agentInvocationCount("W2")).isEqualTo(1);
        assertThat(result.agentInvocationCount("Nobody")).isZero();
    }

    @Test
    void branchHelpers_findBranchesByIdAndSplitThemBySuccess() {
        OrchestraResult result = forkWithRetryAndFailure();

        assertThat(result.branch("b2")).hasValueSatisfying(b -> {
            assertThat(b.parentBranchId()).isEqualTo("b1");
            assertThat(b.agents()).containsExactly("W1");
            assertThat(b.output()).isEqualTo("r1");
            assertThat(b.steps()).isEqualTo(2);
            assertThat(b.trace()).extracting(TraceStep::index).containsExactly(1, 3);
        });
        assertThat(result.branch("b1")).hasValueSatisfying(b -> {
            assertThat(b.parentBranchId()).isNull();
            assertThat(b.agents()).containsExactly("Hub", "Writer");
            assertThat(b.output()).isEqualTo("final text");
        });
        assertThat(result.branch("nope")).isEmpty();
        assertThat(result.successfulBranches())
                .extracting(BranchResult::branchId)
                .containsExactly("b1", "b2");
        assertThat(result.failedBranches()).singleElement().satisfies(b -> {
            assertThat(b.branchId()).isEqualTo("b3");
            assertThat(b.status()).isEqualTo(BranchStatus.FAILED);
            assertThat(b.error())
                    .hasValueSatisfying(e -> assertThat(e).contains("W2").contains("broken"));
        });
    }

    @Test
    void executionTrace_recordsEveryStepAndFailureInOrder() {
        OrchestraResult result = forkWithRetryAndFailure();
        List<TraceStep> trace = result.executionTrace();

        assertThat(trace).extracting(TraceStep::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(trace)
                .extracting(TraceStep::branchId, TraceStep::agent, TraceStep::action)
                .containsExactly(
                        tuple("b1", "Hub", TraceStep.Action.PARALLEL),
                        tuple("b2", "W1", TraceStep.Action.FAIL),
                        tuple("b3", "W2", TraceStep.Action.FAIL),
                        tuple("b2", "W1", TraceStep.Action.FINISH),
                        tuple("b1", "Hub", TraceStep.Action.INVOKE),
                        tuple("b1", "Writer", TraceStep.Action.FINISH));
        assertThat(trace.get(1).attempt()).isEqualTo(1);
        assertThat(trace.get(0).targets()).containsExactly("W1", "W2");
        assertThat(trace.get(0).input()).isEqualTo("task");
        assertThat(trace.get(0).output()).isEqualTo(List.of(Invocation.of("W1", "q1"), Invocation.of("W2", "q2")));
        assertThat(trace.get(1).error()).contains("flaky");
        assertThat(trace.get(1).targets()).isEmpty();
        assertThat(trace.get(1).input()).isEqualTo("q1");
        assertThat(trace.get(2).error()).contains("broken");
        assertThat(trace.get(3).targets()).containsExactly("Hub");
        assertThat(trace.get(3).output()).isEqualTo("r1");
        assertThat(trace.get(3).error()).isEmpty();
        assertThat(trace.get(4).input()).isEqualTo(List.of(new Arrival("W1", "b2", "r1")));
        assertThat(trace.get(4).targets()).containsExactly("Writer");
        assertThat(trace.get(4).output()).isEqualTo("draft");
        assertThat(trace.get(5).targets()).containsExactly("End");
        assertThat(trace.get(5).output()).isEqualTo("final text");
    }

    @Test
    void executionTrace_convergenceTimeout_addsATimeoutEntryOnTheWaitingBranch() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Fast")
                .edge("Hub <-> Slow")
                .edge("Hub -> End")
                .build();
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch fastArrived = new CountDownLatch(1);
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Fast", 1), Invocation.of("Slow", 2))
                                : AgentResponse.finish("partial"))
                .register("Fast", r -> AgentResponse.finish("fast"))
                .register("Slow", r -> {
                    slowStarted.countDown();
                    new CountDownLatch(1).await();
                    return AgentResponse.finish("never");
                });
        MutableClock clock = MutableClock.atEpoch();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .executionConfig(ExecutionConfig.builder()
                        .convergencePolicy(ConvergencePolicy.ANY)
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
        OrchestraResult result = handle.await();

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.executionTrace())
                .filteredOn(s -> s.action() == TraceStep.Action.TIMEOUT)
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.branchId()).isEqualTo("b1");
                    assertThat(s.agent()).isEqualTo("Hub");
                    assertThat(s.targets()).isEmpty();
                    assertThat(s.error()).hasValueSatisfying(e -> assertThat(e)
                            .contains("convergenceTimeout")
                            .contains("1 arrived")
                            .contains("1 still running"));
                });
        assertThat(result.metrics().timeouts()).isEqualTo(1);
        instance.close();
    }

    @Test
    void finalResponseAsText_string_isReturnedAsIs() {
        assertThat(finishWith("plain *text*\n").finalResponseAsText()).isEqualTo("plain *text*\n");
    }

    @Test
    void finalResponseAsText_reportMapWithNamedSections_rendersMarkdown() {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("Findings", List.of("a", "b"));
        sections.put("Next", "ship it");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("title", "Report");
        report.put("summary", "All good.");
        report.put("sections", sections);

        assertThat(finishWith(report).finalResponseAsText())
                .isEqualTo("# Report\n\nAll good.\n\n## Findings\n\n- a\n- b\n\n## Next\n\nship it\n");
    }

    @Test
    void finalResponseAsText_reportMapWithSectionList_rendersHeadingsAndBullets() {
        Map<String, Object> report = Map.of(
                "title",
                "Plan",
                "sections",
                List.of(
                        Map.of("title", "Step one", "content", "prepare"),
                        Map.of("heading", "Step two", "body", "go"),
                        "loose item"));

        assertThat(finishWith(report).finalResponseAsText())
                .isEqualTo("# Plan\n\n## Step one\n\nprepare\n\n## Step two\n\ngo\n\n- loose item\n");
    }

    @Test
    void finalResponseAsText_otherValues_areJson() throws Exception {
        assertThat(JSON.readTree(finishWith(Map.of("score", 3)).finalResponseAsText()))
                .isEqualTo(JSON.readTree("{\"score\":3}"));
        assertThat(finishWith(List.of("x", 2)).finalResponseAsText()).isEqualTo("[\"x\",2]");
        assertThat(finishWith(42).finalResponseAsText()).isEqualTo("42");
    }

    @Test
    void finalResponseAsText_noFinalResponse_isEmpty() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        agents.register("A", r -> AgentResponse.fail("nothing to say"));

        OrchestraResult result =
                Orchestra.run("task", t, RunOptions.builder().agents(agents).build());

        assertThat(result.finalResponse()).isNull();
        assertThat(result.finalResponseAsText()).isEmpty();
    }

    @Test
    void toJson_parsesBackWithEveryField() throws Exception {
        OrchestraResult result = forkWithRetryAndFailure();

        JsonNode json = JSON.readTree(result.toJson());

        assertThat(json.path("sessionId").asText()).isEqualTo(result.sessionId());
        assertThat(json.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(json.path("success").asBoolean()).isTrue();
        assertThat(json.path("finalResponse").asText()).isEqualTo("final text");
        assertThat(json.path("finalResponses").get(0).asText()).isEqualTo("final text");
        assertThat(json.path("error").isNull()).isTrue();
        assertThat(json.path("totalSteps").asInt()).isEqualTo(6);
        assertThat(json.has("totalDurationMillis")).isTrue();
        assertThat(json.path("metadata").path("topology_digest").asText()).isNotBlank();
        assertThat(json.path("metrics").path("steps").asInt()).isEqualTo(6);
        assertThat(json.path("metrics").path("invocations").path("W1").asInt()).isEqualTo(2);
        assertThat(json.path("metrics").path("retries").asInt()).isEqualTo(1);
        assertThat(json.path("branches")).hasSize(3);
        assertThat(json.path("branches").get(2).path("branchId").asText()).isEqualTo("b3");
        assertThat(json.path("branches").get(2).path("status").asText()).isEqualTo("FAILED");
        assertThat(json.path("branches").get(1).path("parentBranchId").asText()).isEqualTo("b1");
        assertThat(json.path("trace")).hasSize(6);
        assertThat(json.path("trace").get(0).path("action").asText()).isEqualTo("PARALLEL");
        assertThat(json.path("trace").get(0).path("targets").toString()).isEqualTo("[\"W1\",\"W2\"]");
        assertThat(json.path("trace").get(1).path("error").asText()).contains("flaky");
        assertThat(json.path("trace").get(1).path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void traceAsNdjson_writesOneJsonObjectPerStep() throws Exception {
        OrchestraResult result = forkWithRetryAndFailure();

        String ndjson = result.traceAsNdjson();

        assertThat(ndjson).endsWith("\n");
        List<String> lines = ndjson.lines().toList();
        assertThat(lines).hasSize(result.executionTrace().size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertThat(line.isObject()).isTrue();
            assertThat(line.path("index").asInt()).isEqualTo(i);
            assertThat(line.path("agent").asText())
                    .isEqualTo(result.executionTrace().get(i).agent());
        }
    }

    @Test
    void toMermaid_drawsParticipantsHandOffsAndParallelArrows() {
        OrchestraResult result = forkWithRetryAndFailure();

        String mermaid = result.toMermaid();

        assertThat(mermaid.lines().toList())
                .startsWith(
                        "sequenceDiagram",
                        "    participant Start as Start",
                        "    participant Hub as Hub",
                        "    participant W1 as W1",
                        "    participant W2 as W2",
                        "    participant Writer as Writer",
                        "    participant End_ as End")
                .contains(
                        "    Hub-)W1: parallel b1",
                        "    Hub-)W2: parallel b1",
                        "    Note over W1: fail b2 ✗ flaky",
                        "    W1->>Hub: finish b2",
                        "    Hub->>Writer: invoke b1",
                        "    Writer->>End_: finish b1");
    }

    @Test
    void toMermaid_agentNamesWithSpaces_becomeSafeIdsWithTheNameAsAlias() {
        Topology t = Topology.builder()
                .edge("Start -> Fact Checker")
                .edge("Fact Checker -> End")
                .build();
        agents.register("Fact Checker", r -> AgentResponse.finish("ok"));

        String mermaid = Orchestra.run(
                        "task", t, RunOptions.builder().agents(agents).build())
                .toMermaid();

        assertThat(mermaid)
                .contains("    participant Fact_Checker as Fact Checker\n")
                .contains("    Fact_Checker->>End_: finish b1\n");
    }

    @Test
    void metrics_countStepsBranchesInvocationsAndRetries() {
        OrchestraResult result = forkWithRetryAndFailure();
        RunMetrics m = result.metrics();

        assertThat(m.steps()).isEqualTo(6).isEqualTo(result.totalSteps());
        assertThat(m.branches()).isEqualTo(3);
        assertThat(m.invocations()).containsExactlyInAnyOrderEntriesOf(Map.of("Hub", 2, "W1", 2, "W2", 1, "Writer", 1));
        assertThat(m.retries()).isEqualTo(1);
        assertThat(m.timeouts()).isZero();
        assertThat(m.wallTime()).isEqualTo(result.totalDuration());
    }

    @Test
    void metrics_parallelWork_busyTimeExceedsWallTime() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W")
                .edge("Hub -> End")
                .build();
        int workers = 5;
        CountDownLatch allStarted = new CountDownLatch(workers);
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(java.util.stream.IntStream.rangeClosed(1, workers)
                                        .mapToObj(i -> Invocation.of("W", i))
                                        .toList())
                                : AgentResponse.finish("done"))
                .register("W", r -> {
                    allStarted.countDown();
                    assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
                    Thread.sleep(200); // five overlapping 200 ms steps: ~1 s busy in ~0.2 s of wall time
                    return AgentResponse.finish(r.input());
                });

        OrchestraResult result =
                Orchestra.run("task", t, RunOptions.builder().agents(agents).build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.metrics().busyTime()).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        // the margin (~800 ms) is far above what scheduling on a loaded machine adds to the wall time (seen: ~40 ms)
        assertThat(result.metrics().wallTime())
                .isGreaterThanOrEqualTo(Duration.ofMillis(200))
                .isLessThan(result.metrics().busyTime());
    }

    record Summary(String title, int words) {}

    @Test
    void finalResponseOfClass_mapAnswer_convertsToARecord() {
        OrchestraResult result = OrchestraResult.builder()
                .sessionId("s")
                .status(RunStatus.COMPLETED)
                .finalResponse(Map.of("title", "Lisbon", "words", 120))
                .build();

        assertThat(result.finalResponse(Summary.class)).isEqualTo(new Summary("Lisbon", 120));
        assertThat(result.finalResponse(Object.class)).isEqualTo(Map.of("title", "Lisbon", "words", 120));
    }

    @Test
    void finalResponseOfClass_unconvertibleOrMissing_failsNamingTheField() {
        OrchestraResult text = OrchestraResult.builder()
                .sessionId("s")
                .status(RunStatus.COMPLETED)
                .finalResponse("just text")
                .build();
        OrchestraResult failed = OrchestraResult.builder()
                .sessionId("s2")
                .status(RunStatus.FAILED)
                .error(java.util.Optional.of("agent 'A' failed"))
                .build();

        assertThatThrownBy(() -> text.finalResponse(Summary.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finalResponse")
                .hasMessageContaining(Summary.class.getName());
        assertThatThrownBy(() -> failed.finalResponse(Summary.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no finalResponse")
                .hasMessageContaining("agent 'A' failed");
    }

    @Test
    void executionTrace_routedReplies_areTracedAsReplyWithTheTargetsTheEdgesChose() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B [when ok]")
                .edge("A -> C [when bad]")
                .edge("B -> End")
                .edge("C -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> AgentResponse.reply("fine").label("ok"))
                .register("B", r -> AgentResponse.reply("done"))
                .register("C", r -> AgentResponse.finish("wrong"));

        OrchestraResult result =
                Orchestra.run("go", t, RunOptions.builder().agents(agents).build());

        assertThat(result.finalResponse()).isEqualTo("done");
        assertThat(result.executionTrace())
                .extracting(TraceStep::agent, TraceStep::action, TraceStep::targets)
                .containsExactly(
                        tuple("A", TraceStep.Action.REPLY, List.of("B")),
                        tuple("B", TraceStep.Action.REPLY, List.of("End")));
    }
}
