package dev.orchestra4j.core.replay;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.internal.MermaidIds;
import dev.orchestra4j.core.internal.replay.StepRecords;
import dev.orchestra4j.state.StateManager;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A session's recording, read from its {@link StateManager}: every agent step with its input, decision, model calls
 * and tool calls, ordered by step number. Written while a session runs with recording on ({@code
 * RunOptions.Builder#record}, the default with a StateManager).
 */
public final class Recording {

    private final String sessionId;
    private final List<RecordedStep> steps;

    private Recording(String sessionId, List<RecordedStep> steps) {
        this.sessionId = sessionId;
        this.steps = List.copyOf(steps);
    }

    /**
     * The recording of {@code sessionId}.
     *
     * @throws IllegalArgumentException when the session has no recording (never run with recording on, or deleted)
     */
    public static Recording read(StateManager manager, String sessionId) {
        requireNonNull(manager, "manager");
        requireNonNull(sessionId, "sessionId");
        List<RecordedStep> steps = StepRecords.read(manager, sessionId).stream()
                .map(StepRecords.StepRecord::step)
                .toList();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("session '" + sessionId + "' has no recording in "
                    + manager.backendName() + " storage: run it with a StateManager and recording on (the default)");
        }
        return new Recording(sessionId, steps);
    }

    public String sessionId() {
        return sessionId;
    }

    /** The steps, ordered by step number. */
    public List<RecordedStep> steps() {
        return steps;
    }

    /** The step with number {@code step}, if recorded. */
    public Optional<RecordedStep> step(int step) {
        return steps.stream().filter(s -> s.step() == step).findFirst();
    }

    /** Input plus output tokens of every model call. */
    public long totalTokens() {
        return steps.stream().mapToLong(s -> s.inputTokens() + s.outputTokens()).sum();
    }

    /** The time the steps took, added up. */
    public Duration totalDuration() {
        return steps.stream().map(RecordedStep::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * The run as a Mermaid sequence diagram: one arrow per step from its agent to the agents it handed off to or
     * forked, a note for a finish, a question or a failure, and the model and tool calls as self-arrows.
     */
    public String toMermaid() {
        StringBuilder out = new StringBuilder("sequenceDiagram\n");
        for (RecordedStep s : steps) {
            String from = participant(s.agent());
            for (ModelCall call : s.modelCalls()) {
                out.append(String.format(
                        Locale.ROOT,
                        "    %s->>%s: step %d model call (%d+%d tokens)%n",
                        from,
                        from,
                        s.step(),
                        call.inputTokens(),
                        call.outputTokens()));
            }
            s.toolCalls()
                    .forEach(t -> out.append(String.format(
                            Locale.ROOT, "    %s->>%s: step %d tool %s%n", from, from, s.step(), label(t.name()))));
            if (s.targets().isEmpty()) {
                out.append(String.format(
                        Locale.ROOT, "    Note over %s: step %d %s%n", from, s.step(), label(s.action())));
            }
            for (String target : s.targets()) {
                out.append(String.format(
                        Locale.ROOT,
                        "    %s->>%s: step %d %s%n",
                        from,
                        participant(target),
                        s.step(),
                        label(s.action())));
            }
        }
        return out.toString();
    }

    private static String participant(String agent) {
        return MermaidIds.participant(agent);
    }

    private static String label(String text) {
        return text.replaceAll("[;#:\\n]", " ");
    }
}
