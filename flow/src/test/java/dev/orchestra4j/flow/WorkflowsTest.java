package dev.orchestra4j.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class WorkflowsTest {

    private final List<String> requests = new CopyOnWriteArrayList<>();

    private AgentRegistry answering(String agent, String answer) {
        return AgentRegistry.create().register(agent, r -> {
            requests.add(r.agent() + ": " + r.input());
            return AgentResponse.finish(answer);
        });
    }

    private static WorkflowDefinition classified(boolean withElse) {
        TaskStep then = TaskStep.of("tech", "bot", "tech review");
        ConditionalStep review = withElse
                ? ConditionalStep.of(
                        "review",
                        "steps.classify.result == \"TECHNICAL\"",
                        then,
                        TaskStep.of("style", "bot", "style review"))
                : ConditionalStep.of("review", "steps.classify.result == \"TECHNICAL\"", then);
        return WorkflowDefinition.builder("w")
                .step(TaskStep.of("classify", "bot", "classify"))
                .step(review)
                .step(TaskStep.of("after", "bot", "after"))
                .build();
    }

    // ---- conditions

    @Test
    void conditional_trueTakesThen_branchIsRecorded() {
        WorkflowRun run = Workflows.run(classified(true), answering("bot", "TECHNICAL"));

        assertThat(run.step("review", "branch")).hasValue("then");
        assertThat(run.step("review", "condition_result")).hasValue(true);
        assertThat(run.step("tech")).isPresent();
        assertThat(run.step("style")).isEmpty();
        assertThat(requests)
                .extracting(r -> r.substring(0, r.indexOf(':')))
                .containsExactly("classify", "tech", "after");
    }

    @Test
    void conditional_falseWithoutElse_passesThroughAndSucceeds() {
        WorkflowRun run = Workflows.run(classified(false), answering("bot", "GENERAL"));

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.COMPLETED);
        assertThat(run.step("review", "branch")).hasValue("none");
        assertThat(run.step("tech")).isEmpty();
        assertThat(run.result()).hasValue("GENERAL");
    }

    @Test
    void condition_typeErrorIsRejectedAtLoad() {
        assertThatThrownBy(() -> WorkflowDefinition.builder("w")
                        .step(TaskStep.of("x", "bot", "p"))
                        .step(ConditionalStep.of("c", "steps.x.result > 3", TaskStep.of("y", "bot", "p")))
                        .build())
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("step 'c' condition does not type-check")
                .hasMessageContaining("'_>_' applied to '(string, int)'");
    }

    @Test
    void condition_raisingAtRunTime_failsTheStepNeverTakesElse() {
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(TaskStep.of("x", "bot", "p"))
                .step(ConditionalStep.of(
                        "c",
                        "int(steps.x.result) > 3",
                        TaskStep.of("y", "bot", "then"),
                        TaskStep.of("z", "bot", "else")))
                .build();

        WorkflowRun run = Workflows.run(d, answering("bot", "not a number"));

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.FAILED);
        assertThat(run.error())
                .hasValueSatisfying(e -> assertThat(e).startsWith("Step 'c' failed: step 'c' condition failed"));
        assertThat(requests).hasSize(1);
    }

    // ---- parallel

    @Test
    void parallel_respectsMaxConcurrency_andKeepsDeclarationOrder() {
        CountDownLatch firstWave = new CountDownLatch(2);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AgentRegistry agents = AgentRegistry.create()
                .register("expert", r -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        if (!r.agent().equals("c")) {
                            firstWave.countDown();
                            assertThat(firstWave.await(10, TimeUnit.SECONDS)).isTrue();
                        }
                        return AgentResponse.finish("answer of " + r.agent());
                    } finally {
                        inFlight.decrementAndGet();
                    }
                })
                .register("writer", r -> {
                    requests.add(String.valueOf(r.input()));
                    return AgentResponse.finish("done");
                });
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(ParallelStep.of(
                                "experts",
                                TaskStep.of("a", "expert", "1"),
                                TaskStep.of("b", "expert", "2"),
                                TaskStep.of("c", "expert", "3"))
                        .withMaxConcurrency(2))
                .step(TaskStep.of("synth", "writer", "second: {{ steps.experts.results[1].result }}"))
                .build();

        WorkflowRun run = Workflows.run(d, agents);

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.COMPLETED);
        assertThat(maxInFlight).hasValue(2);
        assertThat(requests).containsExactly("second: answer of b");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results =
                (List<Map<String, Object>>) run.step("experts", "results").orElseThrow();
        assertThat(results).extracting(m -> m.get("step")).containsExactly("a", "b", "c");
        assertThat(run.step("b", "result")).hasValue("answer of b");
    }

    @Test
    void parallel_childFails_stepFailsWithJoinedErrorsAfterAllFinished() {
        AtomicInteger finished = new AtomicInteger();
        AgentRegistry agents = AgentRegistry.create().register("expert", r -> {
            finished.incrementAndGet();
            if (!r.agent().equals("b")) {
                throw new IllegalStateException(r.agent() + " broke");
            }
            return AgentResponse.finish("ok");
        });
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(ParallelStep.of(
                                "experts",
                                TaskStep.of("a", "expert", "1"),
                                TaskStep.of("b", "expert", "2"),
                                TaskStep.of("c", "expert", "3"))
                        .named("Expert Consultation"))
                .step(TaskStep.of("never", "expert", "x"))
                .build();

        WorkflowRun run = Workflows.run(d, agents);

        assertThat(run.error()).hasValue("Step 'Expert Consultation' failed: a broke; c broke");
        assertThat(finished).hasValue(3);
        assertThat(run.step("never")).isEmpty();
    }

    // ---- loop

    @Test
    void loop_isDoWhile_andCapped() {
        WorkflowDefinition once = WorkflowDefinition.builder("w")
                .step(LoopStep.of("loop", TaskStep.of("body", "bot", "i={{ steps.loop.iteration }}"), "true", 5))
                .build();
        WorkflowRun run = Workflows.run(once, answering("bot", "x"));
        assertThat(run.step("loop", "total_iterations")).hasValue(1);

        requests.clear();
        WorkflowDefinition thrice = WorkflowDefinition.builder("w")
                .step(LoopStep.of("loop", TaskStep.of("body", "bot", "i={{ steps.loop.iteration }}"), "false", 3))
                .build();
        WorkflowRun three = Workflows.run(thrice, answering("bot", "x"));
        assertThat(three.step("loop", "total_iterations")).hasValue(3);
        assertThat(requests).containsExactly("body: i=1", "body: i=2", "body: i=3");
        assertThat((List<?>) three.step("loop", "iterations").orElseThrow()).hasSize(3);
    }

    @Test
    void loop_exitWhenOnLastResult_stopsEarly() {
        AtomicInteger calls = new AtomicInteger();
        AgentRegistry agents = AgentRegistry.create()
                .register("bot", r -> AgentResponse.finish(calls.incrementAndGet() == 2 ? "APPROVED" : "again"));
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(LoopStep.of(
                        "refine",
                        TaskStep.of("revise", "bot", "p"),
                        "steps.refine.last.result.contains(\"APPROVED\")",
                        10))
                .build();

        WorkflowRun run = Workflows.run(d, agents);

        assertThat(run.step("refine", "total_iterations")).hasValue(2);
        assertThat(run.result()).hasValue("APPROVED");
    }

    @Test
    void loop_failingIteration_failsTheStep() {
        AtomicInteger calls = new AtomicInteger();
        AgentRegistry agents = AgentRegistry.create().register("bot", r -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("iteration broke");
            }
            return AgentResponse.finish("x");
        });
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(LoopStep.of("loop", TaskStep.of("body", "bot", "p"), "false", 5)
                        .named("Loop"))
                .build();

        WorkflowRun run = Workflows.run(d, agents);

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.FAILED);
        assertThat(run.error())
                .hasValueSatisfying(
                        e -> assertThat(e).startsWith("Step 'Loop' failed:").contains("iteration broke"));
        assertThat(calls).hasValue(2);
    }

    // ---- engine behaviour

    @Test
    void firstFailingStep_failsTheWorkflow_laterStepsNeverRun() {
        AgentRegistry agents = AgentRegistry.create()
                .register("ok", r -> AgentResponse.finish("fine"))
                .register("bad", r -> AgentResponse.fail("no can do"))
                .register("later", r -> {
                    requests.add("later ran");
                    return AgentResponse.finish("x");
                });
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(TaskStep.of("one", "ok", "1"))
                .step(TaskStep.of("two", "bad", "2").named("Second"))
                .step(TaskStep.of("three", "later", "3"))
                .build();

        WorkflowRun run = Workflows.run(d, agents);

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.FAILED);
        assertThat(run.error())
                .hasValueSatisfying(
                        e -> assertThat(e).startsWith("Step 'Second' failed: ").contains("no can do"));
        assertThat(requests).isEmpty();
        assertThat(run.step("one", "result")).hasValue("fine");
    }

    @Test
    void onErrorGoto_routesToTheNamedStepWithTheErrorContext() {
        List<Object> handlerInputs = new CopyOnWriteArrayList<>();
        AgentRegistry agents = AgentRegistry.create()
                .register("bad", r -> AgentResponse.fail("exploded"))
                .register("fixer", r -> {
                    handlerInputs.add(r.input());
                    return AgentResponse.finish("recovered");
                });
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(TaskStep.of("risky", "bad", "try").withOnError(OnError.goTo("recover")))
                .step(TaskStep.of("skipped", "fixer", "never"))
                .step(TaskStep.of("recover", "fixer", "error was: {{ steps.risky.error }}"))
                .build();

        WorkflowRun run = Workflows.run(d, agents);

        assertThat(run.status())
                .as(run.error() + " " + run.orchestraResult().executionTrace())
                .isEqualTo(WorkflowRun.Status.COMPLETED);
        assertThat(handlerInputs)
                .singleElement()
                .asString()
                .startsWith("error was: ")
                .contains("exploded");
        assertThat(run.result()).hasValue("recovered");
        assertThat(d.compile(agents).topology().edges())
                .anyMatch(e -> e.source().equals("risky")
                        && e.target().equals("recover")
                        && e.kind() == dev.orchestra4j.topology.EdgeKind.ERROR);
    }

    @Test
    void unknownAgent_failsAtCompileNamingIt() {
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(TaskStep.of("a", "ghost", "p"))
                .build();

        assertThatThrownBy(() -> d.compile(AgentRegistry.create()))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("needs agent 'ghost'");
    }

    @Test
    void input_isVisibleToTemplates() {
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(TaskStep.of("a", "bot", "topic={{ input.topic }}"))
                .build();

        Workflows.run(d, answering("bot", "x"), Map.of("topic", "owls"));

        assertThat(requests).containsExactly("a: topic=owls");
        assertThat(Optional.<ErrorContext>empty()).isEmpty();
    }

    @Test
    void perStepTimeoutAndRetry_aSlowFirstAttemptTimesOutThenTheRetrySucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        AgentRegistry agents = AgentRegistry.create().register("slow", r -> {
            if (attempts.incrementAndGet() == 1) {
                new CountDownLatch(1).await(); // blocks until the step timeout interrupts it
            }
            return AgentResponse.finish("attempt " + r.attempt());
        });
        WorkflowDefinition d = WorkflowDefinition.fromYaml("""
                name: timeouts
                steps:
                  - {id: fetch, type: task, agent: slow, prompt: go, timeout: 200ms, retry: {max: 1}}
                """);

        WorkflowRun run = Workflows.run(
                d,
                agents,
                Map.of(),
                o -> o.errorConfig(dev.orchestra4j.core.ErrorHandlingConfig.builder()
                        .maxRetries(0)
                        .baseDelay(java.time.Duration.ofNanos(1))
                        .build()));

        assertThat(run.status()).as(run.error().orElse("")).isEqualTo(WorkflowRun.Status.COMPLETED);
        assertThat(run.result()).hasValue("attempt 2");
        assertThat(run.orchestraResult().executionTrace()).anySatisfy(t -> assertThat(t.error())
                .hasValueSatisfying(e -> assertThat(e).contains("timed out after PT0.2S")));
    }
}
