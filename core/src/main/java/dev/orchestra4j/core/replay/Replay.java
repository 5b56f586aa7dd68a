package dev.orchestra4j.core.replay;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.TraceStep;
import java.util.Optional;

/**
 * The outcome of {@code OrchestraInstance.replay} (a recorded session run again offline, every model and tool call
 * answered from its recording) or of {@code OrchestraInstance.fork}.
 *
 * @param recordedSessionId the session whose recording drove the run
 * @param sessionId the session that ran: the recorded one's id for a replay (nothing is stored), the new id for a fork
 * @param result the run's result; {@code CANCELLED} when it stopped at a divergence
 * @param divergence where the run stopped because it no longer matched the recording
 * @param recording the recording that drove the run
 */
public record Replay(
        String recordedSessionId,
        String sessionId,
        OrchestraResult result,
        Optional<Divergence> divergence,
        Recording recording) {

    public Replay {
        requireNonNull(recordedSessionId, "recordedSessionId");
        requireNonNull(sessionId, "sessionId");
        requireNonNull(result, "result");
        requireNonNull(divergence, "divergence");
        requireNonNull(recording, "recording");
    }

    /**
     * Whether the run did exactly what was recorded: no divergence (every request matched, every step decided as
     * recorded and every question was answered from the recording) and as many steps as the recording (the trace's
     * entries for the user's answers are not steps).
     */
    public boolean matchesRecording() {
        return divergence.isEmpty()
                && result.executionTrace().stream()
                                .filter(t -> t.action() != TraceStep.Action.USER_ANSWER)
                                .count()
                        == recording.steps().size();
    }
}
