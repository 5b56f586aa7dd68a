package dev.orchestra4j.core.internal.replay;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.concurrent.Callable;

/**
 * Where an {@code LlmAgent}'s model and tool calls go: straight to the model and the tool, unless a step interceptor
 * of the replay machinery made a tape current on the step's thread — then the tape records the call, or answers it
 * from a recording. Internal: not part of the API.
 */
public abstract class Tape {

    private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();

    /** What a regular tool call returned: its text and whether it failed. */
    public record ToolOutcome(String text, boolean failed) {}

    /** Runs a regular tool for real. */
    @FunctionalInterface
    public interface ToolExecution {
        ToolOutcome run() throws InterruptedException;
    }

    /** The model call of {@code agent}: through the current tape if there is one, else to {@code model}. */
    public static ChatResponse chat(String agent, ChatModel model, ChatRequest request) throws InterruptedException {
        Tape tape = CURRENT.get();
        return tape == null ? model.chat(request) : tape.onChat(agent, model, request);
    }

    /** The regular tool call of {@code agent}: through the current tape if there is one, else run. */
    public static ToolOutcome tool(String agent, String name, String arguments, ToolExecution execution)
            throws InterruptedException {
        Tape tape = CURRENT.get();
        return tape == null ? execution.run() : tape.onTool(agent, name, arguments, execution);
    }

    /** Runs {@code body} with this tape current on the calling thread. */
    final <T> T around(Callable<T> body) throws Exception {
        Tape previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    protected abstract ChatResponse onChat(String agent, ChatModel model, ChatRequest request)
            throws InterruptedException;

    protected abstract ToolOutcome onTool(String agent, String name, String arguments, ToolExecution execution)
            throws InterruptedException;
}
