package dev.orchestra4j.core;

import java.time.Duration;

/**
 * Lets an agent report what happened inside its step — token usage and tool calls — so that the trace, the events
 * and the metrics show it. Plain Java agents may ignore it.
 */
public interface StepRecorder {

    /** Adds token usage (may be called once per model call). */
    void tokens(long input, long output);

    /** Records one regular tool call made during the step. */
    void toolCall(String name, String arguments, String result, Duration duration, boolean failed);

    /** A recorder that drops everything. */
    static StepRecorder none() {
        return NoStepRecorder.INSTANCE;
    }
}

enum NoStepRecorder implements StepRecorder {
    INSTANCE;

    @Override
    public void tokens(long input, long output) {}

    @Override
    public void toolCall(String name, String arguments, String result, Duration duration, boolean failed) {}
}
