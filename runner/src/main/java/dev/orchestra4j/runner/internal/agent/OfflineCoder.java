package dev.orchestra4j.runner.internal.agent;

import static dev.orchestra4j.core.llm.ScriptedChatModel.askUser;
import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.orchestra4j.runner.Issue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline "model" behind the built-in {@code coding-run} topology on {@code ScriptedChatModel}: a deterministic
 * coder that reads its work from the issue description. Fenced blocks {@code ```file <path>} are the edits, blocks
 * {@code ```fix <path>} are applied only after the proof-of-work gate refused the hand-off, and a line {@code Question:
 * …} makes the planner ask the operator first. Each decision is a pure function of the request (the step's tool
 * results so far), so a session recovered in another process continues exactly where it stopped.
 */
final class OfflineCoder {

    private static final Pattern BLOCK =
            Pattern.compile("```(file|fix)[ \\t]+([^\\n]+)\\n(.*?)\\n?```", Pattern.DOTALL);
    private static final Pattern QUESTION = Pattern.compile("(?m)^Question:\\s*(.+)$");

    record Edit(String path, String content) {}

    private final Issue issue;
    private final List<Edit> files = new ArrayList<>();
    private final List<Edit> fixes = new ArrayList<>();
    private final List<String> commands;
    private final String handoffState;

    OfflineCoder(Issue issue, List<String> commands, String handoffState) {
        this.issue = issue;
        this.commands = List.copyOf(commands);
        this.handoffState = handoffState;
        String description = issue.description() == null ? "" : issue.description();
        Matcher m = BLOCK.matcher(description);
        while (m.find()) {
            (m.group(1).equals("file") ? files : fixes).add(new Edit(m.group(2).strip(), m.group(3) + "\n"));
        }
    }

    /** One tool call and its result within the current step. */
    record Done(String tool, String arguments, String result) {}

    AiMessage planner(ChatRequest request) {
        Optional<String> question = question();
        if (question.isPresent() && !asked(request)) {
            return askUser(question.get());
        }
        List<Done> done = step(request);
        if (done.isEmpty()) {
            return toolCall("list_files", json(Map.of("path", ".")));
        }
        StringBuilder plan = new StringBuilder("Plan for " + issue.identifier() + ": " + issue.title() + "\n");
        files.forEach(f -> plan.append("- edit ").append(f.path()).append('\n'));
        commands.forEach(c -> plan.append("- run ").append(c).append('\n'));
        lastUserText(request).filter(t -> asked(request)).ifPresent(a -> plan.append("Operator said: ")
                .append(a));
        return invoke("Implementer", plan.toString());
    }

    AiMessage implementer(ChatRequest request) {
        int next = step(request).size();
        if (next < files.size()) {
            Edit edit = files.get(next);
            return toolCall("write_file", json(Map.of("path", edit.path(), "content", edit.content())));
        }
        if (next - files.size() < commands.size()) {
            return toolCall("run_command", json(Map.of("command", commands.get(next - files.size()))));
        }
        StringBuilder summary = new StringBuilder("Changed " + files.size() + " file(s).\n");
        for (Done d : step(request)) {
            if (d.tool().equals("run_command")) {
                summary.append("- ")
                        .append(d.arguments())
                        .append(" → ")
                        .append(d.result())
                        .append('\n');
            }
        }
        return invoke("Reviewer", summary.toString());
    }

    AiMessage reviewer(ChatRequest request) {
        List<Done> done = step(request);
        if (done.stream()
                .noneMatch(d -> d.tool().equals("write_file") && d.arguments().contains("WALKTHROUGH.md"))) {
            return toolCall("write_file", json(Map.of("path", "WALKTHROUGH.md", "content", walkthrough(request))));
        }
        List<Done> moves =
                done.stream().filter(d -> d.tool().equals("transition_issue")).toList();
        if (moves.isEmpty()) {
            return transition();
        }
        Done last = moves.get(moves.size() - 1);
        if (last.result().contains("\"ok\":true")) {
            return finish("Moved " + issue.identifier() + " to " + handoffState + ".");
        }
        int lastMove = done.lastIndexOf(last);
        long fixesSince = done.subList(lastMove, done.size()).stream()
                .filter(d -> d.tool().equals("write_file"))
                .count();
        if (moves.size() == 1 && fixesSince < fixes.size()) {
            Edit fix = fixes.get((int) fixesSince);
            return toolCall("write_file", json(Map.of("path", fix.path(), "content", fix.content())));
        }
        if (moves.size() == 1 && !fixes.isEmpty()) {
            return transition();
        }
        return finish("The proof of work still fails; " + issue.identifier() + " stays in " + issue.state() + ".");
    }

    private AiMessage transition() {
        return toolCall("transition_issue", json(Map.of("state", handoffState)));
    }

    private String walkthrough(ChatRequest request) {
        StringBuilder b = new StringBuilder("# Walkthrough: " + issue.identifier() + " " + issue.title() + "\n\n");
        files.forEach(f -> b.append("- `").append(f.path()).append("` changed\n"));
        lastUserText(request)
                .ifPresent(t -> b.append("\n## Verification\n\n").append(t).append('\n'));
        return b.toString();
    }

    private Optional<String> question() {
        Matcher m = QUESTION.matcher(issue.description() == null ? "" : issue.description());
        return m.find() ? Optional.of(m.group(1).strip()) : Optional.empty();
    }

    private static boolean asked(ChatRequest request) {
        return request.messages().stream()
                .filter(AiMessage.class::isInstance)
                .map(AiMessage.class::cast)
                .filter(AiMessage::hasToolExecutionRequests)
                .flatMap(m -> m.toolExecutionRequests().stream())
                .anyMatch(r -> r.name().equals("ask_user"));
    }

    /** The tool calls of the current step (after the last user message), each with its result. */
    static List<Done> step(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        int start = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof UserMessage) {
                start = i + 1;
            }
        }
        Map<String, ToolExecutionRequest> calls = new LinkedHashMap<>();
        List<Done> done = new ArrayList<>();
        for (ChatMessage m : messages.subList(start, messages.size())) {
            if (m instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
                ai.toolExecutionRequests().forEach(r -> calls.put(r.id(), r));
            } else if (m instanceof ToolExecutionResultMessage result && calls.containsKey(result.id())) {
                ToolExecutionRequest call = calls.get(result.id());
                done.add(new Done(call.name(), call.arguments(), result.text()));
            }
        }
        return done;
    }

    private static Optional<String> lastUserText(ChatRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            if (request.messages().get(i) instanceof UserMessage user && user.hasSingleText()) {
                return Optional.of(user.singleText());
            }
        }
        return Optional.empty();
    }

    private static String json(Map<String, Object> value) {
        try {
            return WorkspaceTools.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
