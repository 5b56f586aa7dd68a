package dev.orchestra4j.core.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.StepRecorder;
import dev.orchestra4j.core.ToolCallRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Collects what an agent reports during one step, and the step's record when it is recorded. Written by the step's
 * thread, read after it ends.
 */
final class StepTelemetry implements StepRecorder, JournaledRecords.Carrier {

    private static final VarHandle FROZEN;

    static {
        try {
            FROZEN = MethodHandles.lookup().findVarHandle(StepTelemetry.class, "frozen", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long inputTokens;
    private long outputTokens;
    private List<ToolCallRecord> toolCalls = List.of();
    private @Nullable ObjectNode record;
    /**
     * Whether anything was reported. Written under the lock, read by {@link #freeze()} without it: a report that
     * happened before the step ended (on the step's thread, or on one it joined) is seen; one racing the end is not
     * part of the step either way. Most steps report nothing, and then freezing takes no lock.
     */
    private boolean reported;

    @Override
    public synchronized void tokens(long input, long output) {
        inputTokens += input;
        outputTokens += output;
        reported = true;
    }

    @Override
    public synchronized void toolCall(String name, String arguments, String result, Duration duration, boolean failed) {
        if (toolCalls.isEmpty()) {
            toolCalls = new ArrayList<>(2);
        }
        toolCalls.add(new ToolCallRecord(name, arguments, result, duration, failed));
        reported = true;
    }

    @Override
    public synchronized void stepRecord(ObjectNode record) {
        this.record = record;
        reported = true;
    }

    /**
     * What a step reported, read back from the journal (replay): frozen, so later reports are not part of it, and
     * without a record (the recording keeps those).
     */
    static StepTelemetry replayed(long inputTokens, long outputTokens, List<ToolCallRecord> toolCalls) {
        StepTelemetry t = new StepTelemetry();
        t.frozenCopy = new Frozen(inputTokens, outputTokens, List.copyOf(toolCalls), null);
        FROZEN.setRelease(t, true);
        return t;
    }

    @Nullable
    ObjectNode record() {
        if (frozen) {
            return copy().record();
        }
        synchronized (this) {
            return record;
        }
    }

    /**
     * The step has ended (called once, on its thread): what it reported until now is what the coordinator reads, in
     * one locked copy (none when nothing was reported), instead of taking the lock for each of the half-dozen reads
     * per step. A report that comes after this (a thread the agent left running) is not part of the step. The flag is
     * set with a release store: readers read it (volatile) before the copies, and nothing after it on this thread
     * needs it seen at once, so it costs no fence.
     */
    void freeze() {
        if (reported) {
            synchronized (this) {
                frozenCopy = new Frozen(
                        inputTokens, outputTokens, toolCalls.isEmpty() ? List.of() : List.copyOf(toolCalls), record);
            }
        }
        FROZEN.setRelease(this, true); // publishes the copy to whoever reads it true
    }

    /** What a step reported, copied once when it ended; none when it reported nothing (most steps). */
    private record Frozen(
            long inputTokens,
            long outputTokens,
            List<ToolCallRecord> toolCalls,
            @Nullable ObjectNode record) {}

    private static final Frozen NOTHING = new Frozen(0, 0, List.of(), null);

    /** Set by {@link #freeze()} before {@link #frozen}, and only when something was reported. */
    private @Nullable Frozen frozenCopy;

    /** Written through {@link #FROZEN}. */
    private volatile boolean frozen;

    private Frozen copy() {
        Frozen copy = frozenCopy;
        return copy != null ? copy : NOTHING;
    }

    long inputTokens() {
        if (frozen) {
            return copy().inputTokens();
        }
        synchronized (this) {
            return inputTokens;
        }
    }

    long outputTokens() {
        if (frozen) {
            return copy().outputTokens();
        }
        synchronized (this) {
            return outputTokens;
        }
    }

    List<ToolCallRecord> toolCalls() {
        if (frozen) {
            return copy().toolCalls();
        }
        synchronized (this) {
            return toolCalls.isEmpty() ? List.of() : List.copyOf(toolCalls);
        }
    }
}
