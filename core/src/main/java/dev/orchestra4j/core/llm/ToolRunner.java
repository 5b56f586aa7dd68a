package dev.orchestra4j.core.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.orchestra4j.core.StepRecorder;
import dev.orchestra4j.core.internal.replay.Tape;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one regular tool call on its own virtual thread within the tool timeout. A timeout or a thrown exception
 * becomes an error result for the model; every call is reported to the step's recorder. Only an interrupt of the
 * step itself escapes (and cancels the tool).
 */
final class ToolRunner {

    private ToolRunner() {}

    static ToolExecutionResultMessage run(
            String agent,
            RegularTool tool,
            ToolExecutionRequest call,
            Object memoryId,
            Duration timeout,
            StepRecorder recorder)
            throws InterruptedException {
        long started = System.nanoTime();
        Tape.ToolOutcome outcome =
                Tape.tool(agent, tool.name(), arguments(call), () -> execute(tool, call, memoryId, timeout));
        recorder.toolCall(
                tool.name(),
                arguments(call),
                outcome.text(),
                Duration.ofNanos(System.nanoTime() - started),
                outcome.failed());
        return result(call, outcome.text(), outcome.failed());
    }

    private static Tape.ToolOutcome execute(
            RegularTool tool, ToolExecutionRequest call, Object memoryId, Duration timeout)
            throws InterruptedException {
        FutureTask<String> task = new FutureTask<>(() -> tool.handler().execute(call, memoryId));
        Thread.ofVirtual().name("orchestra4j-tool-" + tool.name()).start(task);
        try {
            return new Tape.ToolOutcome(String.valueOf(task.get(timeout.toNanos(), TimeUnit.NANOSECONDS)), false);
        } catch (TimeoutException e) {
            task.cancel(true);
            return new Tape.ToolOutcome(
                    "Error: tool '" + tool.name() + "' timed out after " + timeout.toMillis()
                            + " ms (tool timeout) and was cancelled.",
                    true);
        } catch (ExecutionException e) {
            return new Tape.ToolOutcome("Error: tool '" + tool.name() + "' failed: " + describe(e.getCause()), true);
        } catch (InterruptedException e) {
            task.cancel(true);
            throw e;
        }
    }

    /** The error result for a call of a tool the agent does not have. */
    static ToolExecutionResultMessage unknown(ToolExecutionRequest call, String problem) {
        return result(call, "Error: " + problem, true);
    }

    static ToolExecutionResultMessage result(ToolExecutionRequest call, String text, boolean error) {
        return ToolExecutionResultMessage.builder()
                .id(call.id())
                .toolName(call.name())
                .text(text)
                .isError(error)
                .build();
    }

    private static String arguments(ToolExecutionRequest call) {
        return call.arguments() == null ? "" : call.arguments();
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
