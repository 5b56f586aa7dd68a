package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.StepRecorder;
import dev.orchestra4j.core.ToolCallRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects what an agent reports during one step. Written by the step's thread, read after it ends. */
final class StepTelemetry implements StepRecorder {

    private long inputTokens;
    private long outputTokens;
    private List<ToolCallRecord> toolCalls = List.of();

    @Override
    public synchronized void tokens(long input, long output) {
        inputTokens += input;
        outputTokens += output;
    }

    @Override
    public synchronized void toolCall(String name, String arguments, String result, Duration duration, boolean failed) {
        if (toolCalls.isEmpty()) {
            toolCalls = new ArrayList<>(2);
        }
        toolCalls.add(new ToolCallRecord(name, arguments, result, duration, failed));
    }

    synchronized long inputTokens() {
        return inputTokens;
    }

    synchronized long outputTokens() {
        return outputTokens;
    }

    synchronized List<ToolCallRecord> toolCalls() {
        return toolCalls.isEmpty() ? List.of() : List.copyOf(toolCalls);
    }
}
