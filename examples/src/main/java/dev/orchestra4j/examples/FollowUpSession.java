package dev.orchestra4j.examples;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.core.user.TerminalUserChannel;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.topology.Topology;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A conversation in the terminal. One {@link LlmAgent}, the {@code Assistant}, answers the task; then, because the run
 * allows follow-ups, the terminal asks "Any follow-up?" and every line typed continues the same session: the agent
 * keeps its memory, {@code context["previous_result"]} holds the last answer, and the results merge
 * ({@code metadata["follow_ups"]} counts the rounds). Typing {@code done} (or ending the input and waiting for the
 * follow-up timeout) ends the session.
 *
 * <pre>
 * Start -> Assistant -> End
 * </pre>
 *
 * <p>Offline, the Assistant runs on {@link #offlineModel()}, a scripted model that answers from a small glossary and
 * says how many questions it has seen (read from its memory).
 */
public final class FollowUpSession {

    public static final String DEFAULT_QUESTION = "What is a branch?";

    private static final Set<String> DONE = Set.of("done", "quit", "exit", "bye");

    private static final Map<String, String> GLOSSARY = Map.of(
            "branch", "A branch is one thread of work positioned at one node; forks create more of them.",
            "barrier", "A barrier collects the arrivals of a fork or a rendezvous and fires once.",
            "rendezvous", "A rendezvous is a node fed by two or more one-way edges; it runs once with all inputs.",
            "topology", "A topology says who may talk to whom: nodes, edges and rules.");

    private FollowUpSession() {}

    public static Topology topology() {
        return Topology.builder()
                .edge("Start -> Assistant")
                .edge("Assistant -> End")
                .build();
    }

    public static AgentRegistry agents(ChatModel model) {
        return AgentRegistry.create()
                .register(
                        "Assistant",
                        LlmAgent.builder()
                                .name("Assistant")
                                .model(model)
                                .systemPrompt("You explain Orchestra4j concepts in one or two sentences.")
                                .build());
    }

    /**
     * Answers {@code question}, then asks {@code terminal} for follow-ups until the user types {@code done}, or the
     * input ends and the follow-up timeout passes (set it in {@code options}; default 60 s). The caller owns the
     * terminal.
     */
    public static OrchestraResult run(
            String question, ChatModel model, TerminalUserChannel terminal, RunOptions.Builder options) {
        return Orchestra.run(
                question,
                topology(),
                options.agents(agents(model))
                        .communicationConfig(CommunicationConfig.of(new DoneEndsSession(terminal)))
                        .allowFollowUps(true)
                        .build());
    }

    /** A scripted Assistant: answers from the glossary and counts the questions in its memory. */
    public static ScriptedChatModel offlineModel() {
        return ScriptedChatModel.builder()
                .otherwise(FollowUpSession::answer)
                .tokenUsage(90, 25)
                .build();
    }

    private static dev.langchain4j.data.message.AiMessage answer(ChatRequest request) {
        String question = Transcripts.lastUserText(request).toLowerCase(Locale.ROOT);
        long asked = request.messages().stream()
                .filter(UserMessage.class::isInstance)
                .count();
        String answer = new java.util.TreeMap<>(GLOSSARY)
                .entrySet().stream()
                        .filter(entry -> question.contains(entry.getKey()))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse("I can explain branches, barriers, rendezvous and topologies.");
        return finish(answer + " (question " + asked + " of this session)");
    }

    /**
     * Lets the user end a session by typing a word: the engine ends follow-ups on a blank answer, but a terminal
     * channel skips blank lines.
     */
    static final class DoneEndsSession implements UserChannel {
        private final UserChannel delegate;

        DoneEndsSession(UserChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<String> ask(UserQuestion question) {
            CompletionStage<String> answer = delegate.ask(question);
            if (question.kind() != UserQuestion.Kind.FOLLOW_UP) {
                return answer;
            }
            return answer.thenApply(typed -> DONE.contains(typed.strip().toLowerCase(Locale.ROOT)) ? "" : typed);
        }

        @Override
        public void cancel(String interactionId) {
            delegate.cancel(interactionId);
        }
    }
}
