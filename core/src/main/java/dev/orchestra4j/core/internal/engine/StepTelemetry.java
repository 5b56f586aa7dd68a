package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.StepRecorder;
import dev.orchestra4j.core.ToolCallRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Collects what an agent reports during one step, and the step's record when it is recorded. Written by the step's
 * thread, read after it ends.
 */
final class StepTelemetry implements StepRecorder, JournaledRecords.Carrier {

    private long inputTokens;
    private long outputTokens;
    private List<ToolCallRecord> toolCalls = List.of();
    private @Nullable ObjectNode record;

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

    @Override
    public synchronized void stepRecord(ObjectNode record) {
        this.record = record;
    }

    synchronized @Nullable ObjectNode record() {
        return record;
    }

    /**
     * The step has ended (called once, on its thread): what it reported until now is what the coordinator reads, in
     * one locked copy, instead of taking the lock for each of the half-dozen reads per step. A report that comes after
     * this (a thread the agent left running) is not part of the step.
     */
    void freeze() {
        synchronized (this) {
            frozenInput = inputTokens;
            frozenOutput = outputTokens;
            frozenToolCalls = toolCalls.isEmpty() ? List.of() : List.copyOf(toolCalls);
        }
        frozen = true; // publishes the three above to whoever reads it true
    }

    private long frozenInput;
    private long frozenOutput;
    private List<ToolCallRecord> frozenToolCalls = List.of();
    private volatile boolean frozen;

    long inputTokens() {
        if (frozen) {
            return frozenInput;
        }
        synchronized (this) {
            return inputTokens;
        }
    }

    long outputTokens() {
        if (frozen) {
            return frozenOutput;
        }
        synchronized (this) {
            return outputTokens;
        }
    }

    List<ToolCallRecord> toolCalls() {
        if (frozen) {
            return frozenToolCalls;
        }
        synchronized (this) {
            return toolCalls.isEmpty() ? List.of() : List.copyOf(toolCalls);
        }
    }
}
