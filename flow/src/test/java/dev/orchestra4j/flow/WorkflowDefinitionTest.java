package dev.orchestra4j.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

final class WorkflowDefinitionTest {

    private static final String YAML = """
            id: blog
            name: Blog Post Creation
            steps:
              - {id: draft, type: task, agent: writer, prompt: "Write a blog post about {{ input.topic }}."}
              - {id: classify, type: task, agent: router, prompt: "Is this TECHNICAL or GENERAL? {{ steps.draft.result }}"}
              - id: review
                type: conditional
                condition: 'steps.classify.result == "TECHNICAL"'
                then: {id: tech_review, type: task, agent: writer, prompt: "Review: {{ steps.draft.result }}"}
                else: {id: style_review, type: task, agent: writer, prompt: "Review style: {{ steps.draft.result }}"}
              - {id: tidy, type: processing, function: trimWhitespace}
            """;

    private final List<String> requests = new CopyOnWriteArrayList<>();

    private AgentRegistry agents(String routerAnswer) {
        return AgentRegistry.create()
                .register("writer", r -> {
                    requests.add(r.agent() + ": " + r.input());
                    return AgentResponse.finish("  text for " + r.agent() + "  ");
                })
                .register("router", r -> {
                    requests.add(r.agent() + ": " + r.input());
                    return AgentResponse.finish(routerAnswer);
                });
    }

    private static FunctionRegistry functions() {
        return FunctionRegistry.create().register("trimWhitespace", ctx -> {
            Map<?, ?> steps = (Map<?, ?>) ctx.get("steps");
            Map<?, ?> review = (Map<?, ?>) steps.get("tech_review");
            Object text = review == null ? ((Map<?, ?>) steps.get("style_review")).get("result") : review.get("result");
            return String.valueOf(text).trim();
        });
    }

    private static WorkflowDefinition javaBuilt() {
        return WorkflowDefinition.builder("Blog Post Creation")
                .id("blog")
                .functions(functions())
                .step(TaskStep.of("draft", "writer", "Write a blog post about {{ input.topic }}."))
                .step(TaskStep.of("classify", "router", "Is this TECHNICAL or GENERAL? {{ steps.draft.result }}"))
                .step(ConditionalStep.of(
                        "review",
                        "steps.classify.result == \"TECHNICAL\"",
                        TaskStep.of("tech_review", "writer", "Review: {{ steps.draft.result }}"),
                        TaskStep.of("style_review", "writer", "Review style: {{ steps.draft.result }}")))
                .step(ProcessingStep.of("tidy", "trimWhitespace"))
                .build();
    }

    @Test
    void javaAndYaml_compileToEqualTopologies_andJsonRoundTripKeepsIds() {
        WorkflowDefinition fromYaml = WorkflowDefinition.fromYaml(YAML, functions());
        WorkflowDefinition fromJava = javaBuilt();

        assertThat(fromYaml.compile(agents("TECHNICAL")).topology())
                .isEqualTo(fromJava.compile(agents("TECHNICAL")).topology());
        WorkflowDefinition back = WorkflowDefinition.fromJson(fromJava.toJson(), functions());
        assertThat(back).isEqualTo(fromJava);
        assertThat(back.digest()).isEqualTo(fromJava.digest());
        assertThat(WorkflowCheckIds.ids(back))
                .containsExactly("draft", "classify", "review", "tech_review", "style_review", "tidy");

        WorkflowRun run = Workflows.run(back, agents("TECHNICAL"), Map.of("topic", "CEL"));

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.COMPLETED);
        assertThat(requests)
                .contains(
                        "draft: Write a blog post about CEL.",
                        "classify: Is this TECHNICAL or GENERAL?   text for draft  ");
        assertThat(run.result()).hasValue("text for tech_review");
        assertThat(back.compile(agents("x")).topology().metadata()).containsEntry("workflow_digest", back.digest());
    }

    @Test
    void load_fieldsOfTheWrongType_areProblemsNamingThem_neverIgnoredOrDefaulted() {
        String yaml = """
                name: w
                id: 5
                metadata: [1]
                steps:
                  - id: a
                    type: task
                    agent: writer
                    prompt: hi
                    retry: {max: "3"}
                    timeout: 30
                    on_error: 7
                  - id: l
                    type: loop
                    exit_when: 5
                    max_iterations: 2.5
                    on_max: explode
                    step: {id: b, type: task, agent: writer, prompt: again}
                  - id: p
                    type: parallel
                    max_concurrency: ten
                    steps: {id: c}
                """;

        assertThatThrownBy(() -> WorkflowDefinition.fromYaml(yaml))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("workflow.id must be a string, was 5")
                .hasMessageContaining("workflow.metadata must be an object")
                .hasMessageContaining("steps[0].retry.max must be a whole number, was 3")
                .hasMessageContaining("steps[0].timeout must be a string, was 30")
                .hasMessageContaining("steps[0].on_error must be a string, was 7")
                .hasMessageContaining("steps[1].exit_when must be a string, was 5")
                .hasMessageContaining("steps[1].max_iterations must be a whole number, was 2.5")
                .hasMessageContaining("steps[1].on_max must be fail or exit, was 'explode'")
                .hasMessageContaining("steps[2].max_concurrency must be a whole number, was ten")
                .hasMessageContaining("steps[2].steps must be a list");
    }

    @Test
    void load_aKeyGivenTwice_orNoObjectAtAll_isRefused() {
        assertThatThrownBy(() -> WorkflowDefinition.fromYaml("name: a\nname: b\nsteps: []\n"))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("Duplicate field 'name'");
        assertThatThrownBy(() -> WorkflowDefinition.fromJson("{\"name\":\"a\",\"name\":\"b\"}"))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("Duplicate field 'name'");
        assertThatThrownBy(() -> WorkflowDefinition.fromJson("null"))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("not an object");
    }

    @Test
    void addStep_returnsANewDefinition_originalUnchanged() {
        WorkflowDefinition one = WorkflowDefinition.builder("w")
                .step(TaskStep.of("a", "writer", "hi"))
                .build();

        WorkflowDefinition two = one.addStep(TaskStep.of("b", "writer", "{{ steps.a.result }}"));

        assertThat(one.steps()).hasSize(1);
        assertThat(two.steps()).extracting(WorkflowStep::id).containsExactly("a", "b");
    }

    @Test
    void load_referencesToUnknownOrLaterSteps_areErrorsNamingStepAndPosition() {
        assertThatThrownBy(() -> WorkflowDefinition.builder("w")
                        .step(TaskStep.of("a", "writer", "see {{ steps.b.result }}"))
                        .step(TaskStep.of("b", "writer", "and {{ steps.ghost.result }}"))
                        .build())
                .isInstanceOf(FlowException.class)
                .satisfies(e -> assertThat(((FlowException) e).problems())
                        .containsExactly(
                                "step 'a' prompt refers to step 'b', which runs after it (at position 7)",
                                "step 'b' prompt refers to unknown step 'ghost' (at position 7)"));
    }

    @Test
    void load_unregisteredFunction_namesIt_andRegisteredOneRoundTrips() {
        String json = WorkflowDefinition.builder("w")
                .functions(FunctionRegistry.create().register("shout", c -> "HI"))
                .step(ProcessingStep.of("p", "shout"))
                .build()
                .toJson();

        assertThatThrownBy(() -> WorkflowDefinition.fromJson(json))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("function 'shout', which is not registered");
        WorkflowDefinition loaded =
                WorkflowDefinition.fromJson(json, FunctionRegistry.create().register("shout", c -> "HI"));
        assertThat(Workflows.run(loaded, AgentRegistry.create()).result()).hasValue("HI");
    }

    @Test
    void run_unknownFieldAtRunTime_isAValidationFailureNotLeftOverText() {
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(TaskStep.of("draft", "writer", "x"))
                .step(TaskStep.of("next", "writer", "use {{ steps.draft.nope }}"))
                .build();

        WorkflowRun run = Workflows.run(d, agents(""));

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.FAILED);
        assertThat(run.error())
                .hasValueSatisfying(
                        e -> assertThat(e).startsWith("Step 'next' failed: ").contains("steps.draft.nope"));
        assertThat(requests).noneMatch(r -> r.contains("{{"));
        assertThat(requests).hasSize(1);
    }

    @Test
    void run_legacySpelling_isAnAlias() {
        WorkflowDefinition d = WorkflowDefinition.builder("w")
                .step(TaskStep.of("draft", "writer", "x"))
                .step(TaskStep.of("next", "writer", "legacy {{step.draft.result}}"))
                .build();

        Workflows.run(d, agents(""));

        assertThat(requests.getLast()).isEqualTo("next: legacy   text for draft  ");
    }

    /** Exposes the flattened ids for assertions. */
    static final class WorkflowCheckIds {
        static List<String> ids(WorkflowDefinition d) {
            return dev.orchestra4j.flow.internal.WorkflowCheck.flatten(d.steps()).stream()
                    .map(WorkflowStep::id)
                    .toList();
        }
    }
}
