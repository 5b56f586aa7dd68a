package dev.orchestra4j.examples.flow;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.flow.WorkflowDefinition;
import dev.orchestra4j.flow.WorkflowRun;
import dev.orchestra4j.flow.WorkflowTemplates;
import dev.orchestra4j.flow.Workflows;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The orchestration layer's four workflow templates — chain of thought, critic/revise, parallel experts, iterative
 * refinement — run by {@link LlmAgent}s on an offline {@link ScriptedChatModel} that answers every request from its
 * prompt. Swap in a real {@code ChatModel} and nothing else changes.
 */
public final class WorkflowTemplatesDemo {

    private WorkflowTemplatesDemo() {}

    /** Answers each prompt with a line derived from it, so every step's answer is recognisable downstream. */
    public static ScriptedChatModel offlineModel() {
        return ScriptedChatModel.builder()
                .otherwise(request -> finish(answer(prompt(request))))
                .build();
    }

    static String answer(String prompt) {
        String first = prompt.lines().findFirst().orElse("").trim();
        if (first.startsWith("As an expert in ")) {
            String role = first.substring("As an expert in ".length(), first.indexOf(','));
            return role + " view: plan for " + role.toLowerCase(java.util.Locale.ROOT) + " first";
        }
        if (first.startsWith("Improve")) {
            return "Improved "
                    + prompt.lines()
                            .filter(l -> l.startsWith("Iteration"))
                            .findFirst()
                            .orElse("");
        }
        return "Answer to: " + first;
    }

    /** The prompt inside the user message LlmAgent writes ({@code [from X]} header and task stripped). */
    static String prompt(ChatRequest request) {
        String text = "";
        for (ChatMessage m : request.messages()) {
            if (m instanceof UserMessage user) {
                text = user.singleText();
            }
        }
        int from = text.lastIndexOf("[from ");
        return from < 0 ? text : text.substring(text.indexOf("]\n", from) + 2);
    }

    public static AgentRegistry agents(ChatModel model) {
        return AgentRegistry.create()
                .register(
                        "writer",
                        LlmAgent.builder()
                                .name("writer")
                                .model(model)
                                .systemPrompt("You write.")
                                .build())
                .register(
                        "critic",
                        LlmAgent.builder()
                                .name("critic")
                                .model(model)
                                .systemPrompt("You critique.")
                                .build())
                .register(
                        "expert",
                        LlmAgent.builder()
                                .name("expert")
                                .model(model)
                                .systemPrompt("You advise.")
                                .build());
    }

    public static Map<String, WorkflowDefinition> templates() {
        return Map.of(
                "chain-of-thought",
                WorkflowTemplates.chainOfThought(
                        "Reasoning",
                        "Why do teams split services?",
                        List.of("What does it cost?", "When is it worth it?"),
                        "writer"),
                "critic-revise",
                WorkflowTemplates.criticRevise(
                        "Blog Post Creation",
                        "Write a blog post about AI.",
                        "Identify areas for improvement.",
                        "Revise based on the critique.",
                        "writer",
                        Optional.of("critic")),
                "parallel-experts",
                WorkflowTemplates.parallelExperts(
                        "Smart Home Analysis",
                        "What are the key considerations for a smart home?",
                        List.of("Technology", "Security", "Home Design"),
                        "Synthesize the expert opinions.",
                        List.of("expert"),
                        "writer"),
                "iterative-refinement",
                WorkflowTemplates.iterativeRefinement(
                        "Refine", "Draft a tagline.", "Improve the tagline.", 3, "false", "writer"));
    }

    public static WorkflowRun run(String template, ChatModel model) {
        WorkflowDefinition definition = templates().get(template);
        if (definition == null) {
            throw new IllegalArgumentException(
                    "unknown template '" + template + "', known: " + templates().keySet());
        }
        return Workflows.run(definition, agents(model));
    }

    public static void main(String[] args) {
        for (String name : List.of("chain-of-thought", "critic-revise", "parallel-experts", "iterative-refinement")) {
            WorkflowRun run = run(name, offlineModel());
            System.out.println("== " + name + ": " + run.status().wireName());
            System.out.println(run.result().orElse(""));
        }
    }
}
