package dev.orchestra4j.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class WorkflowTemplatesTest {

    /** Request text by step (node) name. */
    private final Map<String, String> requests = new ConcurrentHashMap<>();

    private AgentRegistry echo(String... names) {
        AgentRegistry agents = AgentRegistry.create();
        for (String name : names) {
            agents.register(name, r -> {
                requests.put(r.agent(), String.valueOf(r.input()));
                return AgentResponse.finish("answer of " + r.agent());
            });
        }
        return agents;
    }

    @Test
    void parallelExperts_synthesiserGetsEveryRoleWithItsAnswer() {
        WorkflowDefinition d = WorkflowTemplates.parallelExperts(
                "Smart Home Analysis",
                "What are the key considerations for a smart home?",
                List.of("Technology", "Security", "Home Design"),
                "Synthesize the expert opinions.",
                List.of("expert"));

        WorkflowRun run = Workflows.run(d, echo("expert"));

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.COMPLETED);
        assertThat(requests.get("expert_2"))
                .startsWith("As an expert in Security, please respond to the following:\n\nWhat are the key");
        assertThat(requests.get("synthesis"))
                .startsWith("Synthesize the expert opinions.\n\nExpert Responses:\n")
                .contains("\n## Technology Expert:\nanswer of expert_1\n")
                .contains("\n## Security Expert:\nanswer of expert_2\n")
                .contains("\n## Home Design Expert:\nanswer of expert_3\n");
    }

    @Test
    void chainOfThought_followUpSeesThePreviousFollowUp() {
        WorkflowDefinition d = WorkflowTemplates.chainOfThought(
                "Reasoning", "Why is the sky blue?", List.of("What about sunsets?", "And on Mars?"), "thinker");

        Workflows.run(d, echo("thinker"));

        assertThat(requests.get("follow_up_1"))
                .isEqualTo("What about sunsets?\n\nContext from previous steps:\nanswer of initial");
        assertThat(requests.get("follow_up_2")).contains("answer of initial").contains("answer of follow_up_1");
        assertThat(d.steps())
                .extracting(WorkflowStep::name)
                .containsExactly("Initial Reasoning", "Follow-up 1", "Follow-up 2");
    }

    @Test
    void chainOfThought_seedOption_onlyInitialContext() {
        Workflows.run(WorkflowTemplates.chainOfThought("R", "Q", List.of("a", "b"), "thinker", true), echo("thinker"));

        assertThat(requests.get("follow_up_2")).doesNotContain("answer of follow_up_1");
    }

    @Test
    void criticRevise_critiqueSeesTheDraft_revisionSeesBoth() {
        WorkflowDefinition d = WorkflowTemplates.criticRevise(
                "Blog Post Creation",
                "Write a blog post about AI.",
                "Identify areas for improvement.",
                "Revise based on the critique.",
                "writer",
                Optional.of("critic"));

        Workflows.run(d, echo("writer", "critic"));

        assertThat(requests.get("critique"))
                .isEqualTo("Identify areas for improvement.\n\nOriginal response:\nanswer of initial");
        assertThat(requests.get("revision"))
                .isEqualTo("Revise based on the critique.\n\nOriginal response:\nanswer of initial"
                        + "\n\nCritique:\nanswer of critique");
    }

    @Test
    void iterativeRefinement_iterationKSeesIterationKMinusOne() {
        AtomicInteger n = new AtomicInteger();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AgentRegistry agents = AgentRegistry.create().register("writer", r -> {
            seen.add(String.valueOf(r.input()));
            return AgentResponse.finish("version " + n.incrementAndGet());
        });

        WorkflowRun run = Workflows.run(
                WorkflowTemplates.iterativeRefinement("Refine", "Draft it.", "Improve it.", 3, "false", "writer"),
                agents);

        assertThat(run.status()).isEqualTo(WorkflowRun.Status.COMPLETED);
        assertThat(seen).hasSize(4);
        assertThat(seen.get(1)).isEqualTo("Improve it.\n\nIteration 1. Previous version:\nversion 1");
        assertThat(seen.get(2)).isEqualTo("Improve it.\n\nIteration 2. Previous version:\nversion 2");
        assertThat(seen.get(3)).isEqualTo("Improve it.\n\nIteration 3. Previous version:\nversion 3");
        assertThat(run.result()).hasValue("version 4");
    }

    @Test
    void iterativeRefinement_convergenceConditionStopsEarly() {
        AtomicInteger n = new AtomicInteger();
        AgentRegistry agents = AgentRegistry.create()
                .register("writer", r -> AgentResponse.finish(n.incrementAndGet() >= 3 ? "DONE" : "draft"));

        WorkflowRun run = Workflows.run(
                WorkflowTemplates.iterativeRefinement(
                        "Refine", "Draft it.", "Improve it.", 5, "steps.refinement.last.result == \"DONE\"", "writer"),
                agents);

        assertThat(run.step("refinement", "total_iterations")).hasValue(2);
    }
}
