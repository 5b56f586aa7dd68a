package dev.orchestra4j.core.internal.engine;

import dev.orchestra4j.core.ToolCallRecord;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.internal.event.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the trace, emits events and logs steps at DEBUG. Called only from the thread driving the session. Events go
 * to {@link Effects}, which holds them until what they describe is committed.
 */
final class Telemetry {

    private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

    private final SessionState state;
    /** What this leg's decisions want seen or done outside the session, held until committed. */
    final Effects effects;

    /** The time decisions see: the event's (see {@link EventTime}). */
    final EventTime time;

    final String sessionId;

    Telemetry(String sessionId, SessionState state, EventBus bus, Clock clock) {
        this(sessionId, state, bus, new EventTime(clock));
    }

    Telemetry(String sessionId, SessionState state, EventBus bus, EventTime time) {
        this.sessionId = sessionId;
        this.state = state;
        this.effects = new Effects(sessionId, bus);
        this.time = time;
    }

    Instant now() {
        return time.now();
    }

    /** Whether anybody listens: a hot path asks first, so that not even its event's supplier is allocated. */
    boolean listened() {
        return effects.listened();
    }

    /** Emits an event built lazily: nothing but the supplier is allocated when nobody listens. */
    void emit(Supplier<OrchestraEvent> event) {
        if (effects.listened()) {
            effects.publish(event.get());
        }
    }

    /**
     * Appends the trace entry of a step that ran ({@code outcome}) and returns it, built straight from the outcome: in a
     * session whose agent blocks, nothing of a step is kept in registers, and this runs once per step.
     */
    TraceStep recordStep(
            Branch branch,
            TraceStep.Action action,
            List<String> targets,
            StepOutcome outcome,
            @Nullable Object output,
            @Nullable String error) {
        StepTelemetry reported = outcome.telemetry();
        return append(
                branch,
                action,
                targets,
                branch.node,
                branch.input,
                output,
                outcome.start(),
                Duration.ofNanos(outcome.nanos()),
                error,
                reported.toolCalls(),
                reported.inputTokens(),
                reported.outputTokens());
    }

    private TraceStep append(
            Branch branch,
            TraceStep.Action action,
            List<String> targets,
            String agent,
            @Nullable Object input,
            @Nullable Object output,
            Instant start,
            Duration duration,
            @Nullable String error,
            List<ToolCallRecord> toolCalls,
            long inputTokens,
            long outputTokens) {
        TraceStep step = TraceStep.builder()
                .index(state.trace.size())
                .branchId(branch.id)
                .agent(agent)
                .input(input)
                .action(action)
                .targets(targets)
                .output(output)
                .start(start)
                .duration(duration)
                .attempt(branch.attempt)
                .error(Optional.ofNullable(error))
                .inputTokens(inputTokens)
                .outputTokens(outputTokens)
                .toolCalls(toolCalls) // an immutable list is not copied
                .build();
        state.trace.add(step);
        branch.addTraceIndex(step.index());
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "[{}] {} {} {} -> {}{}",
                    sessionId,
                    branch.id,
                    step.agent(),
                    action,
                    targets,
                    error == null ? "" : " error: " + error);
        }
        return step;
    }

    /** Appends an engine decision (timeout, error route, user answer) that took no time. */
    TraceStep note(
            Branch branch,
            TraceStep.Action action,
            List<String> targets,
            @Nullable Object output,
            @Nullable String error) {
        return append(
                branch,
                action,
                targets,
                branch.node,
                branch.input,
                output,
                now(),
                Duration.ZERO,
                error,
                List.of(),
                0,
                0);
    }

    void close() {
        effects.close();
    }
}
