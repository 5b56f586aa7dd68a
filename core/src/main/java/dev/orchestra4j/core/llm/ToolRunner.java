package dev.orchestra4j.core.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.orchestra4j.core.StepRecorder;
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
            RegularTool tool, ToolExecutionRequest call, Object memoryId, Duration timeout, StepRecorder recorder)
            throws InterruptedException {
        long started = System.nanoTime();
        FutureTask<String> task = new FutureTask<>(() -> tool.handler().execute(call, memoryId));
        Thread.ofVirtual().name("orchestra4j-tool-" + tool.name()).start(task);
        String result;
        boolean failed = true;
        try {
            result = String.valueOf(task.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            failed = false;
        } catch (TimeoutException e) {
            task.cancel(true);
            result = "Error: tool '" + tool.name() + "' timed out after " + timeout.toMillis()
                    + " ms (tool timeout) and was cancelled.";
        } catch (ExecutionException e) {
            result = "Error: tool '" + tool.name() + "' failed: " + describe(e.getCause());
        } catch (InterruptedException e) {
            task.cancel(true);
            throw e;
        }
        recorder.toolCall(tool.name(), arguments(call), result, Duration.ofNanos(System.nanoTime() - started), failed);
        return result(call, result, failed);
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
