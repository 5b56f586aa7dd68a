package dev.orchestra4j.examples.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.flow.WorkflowRun;
import org.junit.jupiter.api.Test;

final class WorkflowTemplatesDemoTest {

    @Test
    void everyTemplate_completesOnTheOfflineModel() {
        for (String name : WorkflowTemplatesDemo.templates().keySet()) {
            WorkflowRun run = WorkflowTemplatesDemo.run(name, WorkflowTemplatesDemo.offlineModel());

            assertThat(run.status()).as(name + " " + run.error()).isEqualTo(WorkflowRun.Status.COMPLETED);
        }
    }

    @Test
    void parallelExperts_synthesisSeesEveryExpertsAnswer() {
        ScriptedChatModel model = WorkflowTemplatesDemo.offlineModel();

        WorkflowRun run = WorkflowTemplatesDemo.run("parallel-experts", model);

        String synthesisPrompt = WorkflowTemplatesDemo.prompt(model.requests().getLast());
        assertThat(synthesisPrompt)
                .contains("## Security Expert:\nSecurity view: plan for security first")
                .contains("## Home Design Expert:\nHome Design view: plan for home design first");
        assertThat(run.result())
                .hasValueSatisfying(r -> assertThat(r).asString().startsWith("Answer to: Synthesize"));
    }

    @Test
    void iterativeRefinement_eachIterationSeesThePreviousOne() {
        WorkflowRun run = WorkflowTemplatesDemo.run("iterative-refinement", WorkflowTemplatesDemo.offlineModel());

        assertThat(run.step("refinement", "total_iterations")).hasValue(3);
        assertThat(run.result()).hasValue("Improved Iteration 3. Previous version:");
    }

    @Test
    void aModelThatFails_failsTheWorkflowNamingTheStep() {
        ScriptedChatModel broken = ScriptedChatModel.builder()
                .otherwise(request -> {
                    throw new IllegalStateException("model is down");
                })
                .build();

        WorkflowRun run = WorkflowTemplatesDemo.run("critic-revise", broken);

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.FAILED);
        assertThat(run.error()).hasValueSatisfying(e -> assertThat(e).startsWith("Step 'Initial Response' failed:"));
    }
}
