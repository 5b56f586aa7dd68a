package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The orchestration layer's four workflow templates, with its prompts — and the references fixed so that each step
 * really sees what the docs promise. Each returns a {@link WorkflowDefinition}; run it with {@link Workflows#run}.
 * {@code PatternConfig.criticRevise(writer, critic)} and friends build the same shapes as bare topologies for agents
 * that coordinate themselves; these templates are definitions with the prompts.
 */
public final class WorkflowTemplates {

    private WorkflowTemplates() {}

    /**
     * "Initial Reasoning" on {@code initialPrompt}, then one step per follow-up; follow-up {@code i} sees the initial
     * answer and the previous follow-up's answer.
     */
    public static WorkflowDefinition chainOfThought(
            String name, String initialPrompt, List<String> followUps, String agentId) {
        return chainOfThought(name, initialPrompt, followUps, agentId, false);
    }

    /**
     * As {@link #chainOfThought(String, String, List, String)}; with {@code onlyInitialContext} every follow-up sees
     * only the initial answer (the seed's behaviour).
     */
    public static WorkflowDefinition chainOfThought(
            String name, String initialPrompt, List<String> followUps, String agentId, boolean onlyInitialContext) {
        WorkflowDefinition.Builder b = WorkflowDefinition.builder(name)
                .step(TaskStep.of("initial", agentId, initialPrompt).named("Initial Reasoning"));
        for (int i = 1; i <= followUps.size(); i++) {
            String prompt = followUps.get(i - 1) + "\n\nContext from previous steps:\n{{ steps.initial.result }}";
            if (i > 1 && !onlyInitialContext) {
                prompt += "\n\n{{ steps.follow_up_" + (i - 1) + ".result }}";
            }
            b.step(TaskStep.of("follow_up_" + i, agentId, prompt).named("Follow-up " + i));
        }
        return b.build();
    }

    /**
     * "Initial Response", then "Critique" (by {@code criticAgentId}, or the main agent when empty) of it, then
     * "Revision" with both.
     */
    public static WorkflowDefinition criticRevise(
            String name,
            String mainPrompt,
            String critiquePrompt,
            String revisionPrompt,
            String agentId,
            Optional<String> criticAgentId) {
        requireNonNull(criticAgentId, "criticAgentId");
        return WorkflowDefinition.builder(name)
                .step(TaskStep.of("initial", agentId, mainPrompt).named("Initial Response"))
                .step(TaskStep.of(
                                "critique",
                                criticAgentId.orElse(agentId),
                                critiquePrompt + "\n\nOriginal response:\n{{ steps.initial.result }}")
                        .named("Critique"))
                .step(TaskStep.of(
                                "revision",
                                agentId,
                                revisionPrompt + "\n\nOriginal response:\n{{ steps.initial.result }}"
                                        + "\n\nCritique:\n{{ steps.critique.result }}")
                        .named("Revision"))
                .build();
    }

    /**
     * "Expert Consultation": one expert per role at once ({@code expertAgentIds[i]}, or the last one given), then
     * "Response Synthesis" by the first expert agent, which receives a {@code ## <role> Expert:} block with each
     * expert's answer.
     */
    public static WorkflowDefinition parallelExperts(
            String name, String prompt, List<String> expertRoles, String summaryPrompt, List<String> expertAgentIds) {
        if (expertAgentIds.isEmpty()) {
            throw new IllegalArgumentException("parallelExperts needs at least one expert agent id");
        }
        return parallelExperts(name, prompt, expertRoles, summaryPrompt, expertAgentIds, expertAgentIds.getFirst());
    }

    /** As above, with the synthesis run by {@code synthesizerAgentId}. */
    public static WorkflowDefinition parallelExperts(
            String name,
            String prompt,
            List<String> expertRoles,
            String summaryPrompt,
            List<String> expertAgentIds,
            String synthesizerAgentId) {
        if (expertRoles.isEmpty() || expertAgentIds.isEmpty()) {
            throw new IllegalArgumentException("parallelExperts needs at least one role and one expert agent id");
        }
        List<WorkflowStep> experts = new ArrayList<>();
        StringBuilder synthesis = new StringBuilder(summaryPrompt).append("\n\nExpert Responses:\n");
        for (int i = 0; i < expertRoles.size(); i++) {
            String role = expertRoles.get(i);
            String agent = expertAgentIds.get(Math.min(i, expertAgentIds.size() - 1));
            experts.add(TaskStep.of(
                            "expert_" + (i + 1),
                            agent,
                            "As an expert in " + role + ", please respond to the following:\n\n" + prompt)
                    .named(role + " Expert"));
            synthesis
                    .append("\n## ")
                    .append(role)
                    .append(" Expert:\n{{ steps.experts.results[")
                    .append(i)
                    .append("].result }}\n");
        }
        return WorkflowDefinition.builder(name)
                .step(new ParallelStep("experts", "Expert Consultation", experts, 5, OnError.FAIL))
                .step(TaskStep.of("synthesis", synthesizerAgentId, synthesis.toString())
                        .named("Response Synthesis"))
                .build();
    }

    /**
     * "Initial Response", then a "Refinement Loop" of up to {@code maxIterations}: iteration {@code k} gets the
     * feedback prompt, its number and iteration {@code k-1}'s result (the initial response for the first); it stops
     * early when the CEL {@code convergenceCondition} holds ({@code "false"}: never).
     */
    public static WorkflowDefinition iterativeRefinement(
            String name,
            String initialPrompt,
            String feedbackPrompt,
            int maxIterations,
            String convergenceCondition,
            String agentId) {
        String body = feedbackPrompt
                + "\n\nIteration {{ steps.refinement.iteration }}. Previous version:\n"
                + "{% if steps.refinement.iteration > 1 %}{{ steps.refinement.last.result }}"
                + "{% else %}{{ steps.initial.result }}{% endif %}";
        return WorkflowDefinition.builder(name)
                .step(TaskStep.of("initial", agentId, initialPrompt).named("Initial Response"))
                .step(new LoopStep(
                        "refinement",
                        "Refinement Loop",
                        TaskStep.of("refine", agentId, body).named("Refinement"),
                        Optional.of(convergenceCondition),
                        maxIterations,
                        false,
                        OnError.FAIL))
                .build();
    }

    /** {@link #iterativeRefinement} with 3 iterations and no early stop. */
    public static WorkflowDefinition iterativeRefinement(
            String name, String initialPrompt, String feedbackPrompt, String agentId) {
        return iterativeRefinement(name, initialPrompt, feedbackPrompt, 3, "false", agentId);
    }
}
