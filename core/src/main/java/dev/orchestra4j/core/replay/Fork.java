package dev.orchestra4j.core.replay;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.ExecutionConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a fork of a recorded session starts and what it changes, for {@code OrchestraInstance.fork}. Immutable; each
 * {@code with…} returns a changed copy.
 *
 * <pre>{@code
 * Replay fork = instance.fork("run-1", Fork.atStep(5).withAgent("Writer", terseWriter), "run-1-terse");
 * }</pre>
 *
 * <p>A fork at step {@code n} starts a new session with the original's task and context and takes steps 1 to {@code
 * n} from the original's recording: those agents are not called (no model call, no tool call); their recorded
 * decisions and memories are applied, and copied into the fork's recording. From step {@code n + 1} on the fork runs
 * live, or with {@link #replayUntilDivergence()} answers calls from the original's recording as long as they match it
 * and stops at the first that does not. A fork at a checkpoint starts from the checkpoint's stored state instead.
 */
public final class Fork {

    private final int step;
    private final @Nullable String checkpointId;
    private final Map<String, Agent> agents;
    private final @Nullable ExecutionConfig executionConfig;
    private final @Nullable Object input;
    private final boolean replay;

    private Fork(
            int step,
            @Nullable String checkpointId,
            Map<String, Agent> agents,
            @Nullable ExecutionConfig executionConfig,
            @Nullable Object input,
            boolean replay) {
        this.step = step;
        this.checkpointId = checkpointId;
        this.agents = Map.copyOf(agents);
        this.executionConfig = executionConfig;
        this.input = input;
        this.replay = replay;
    }

    /** After the recorded step {@code step} (1-based) was committed. */
    public static Fork atStep(int step) {
        if (step < 1) {
            throw new IllegalArgumentException("a fork's step must be positive, was " + step);
        }
        return new Fork(step, null, Map.of(), null, null, false);
    }

    /** From a checkpoint of the session ({@code "<sessionId>/<sequence>-<name>"}). */
    public static Fork atCheckpoint(String checkpointId) {
        requireNonNull(checkpointId, "checkpointId");
        return new Fork(0, checkpointId, Map.of(), null, null, false);
    }

    /** The fork runs {@code agent} for the node {@code name} instead of the instance's agent. */
    public Fork withAgent(String name, Agent agent) {
        requireNonNull(name, "name");
        requireNonNull(agent, "agent");
        Map<String, Agent> changed = new LinkedHashMap<>(agents);
        changed.put(name, agent);
        return new Fork(step, checkpointId, changed, executionConfig, input, replay);
    }

    /** The fork runs with this execution configuration (timeouts, limits, steering…). */
    public Fork withExecutionConfig(ExecutionConfig config) {
        return new Fork(step, checkpointId, agents, requireNonNull(config, "config"), input, replay);
    }

    /**
     * The pending input is {@code input} instead: what the fork point's step handed to the next agent (a hand-off's
     * request or a reply's content). Only for a fork at a step that ended with a hand-off or a reply.
     */
    public Fork withInput(Object input) {
        return new Fork(step, checkpointId, agents, executionConfig, requireNonNull(input, "input"), replay);
    }

    /**
     * After the fork point, model and tool calls are answered from the original's recording while they match it; at
     * the first that does not, the fork stops there and reports the {@link Divergence} (no model is called).
     */
    public Fork replayUntilDivergence() {
        return new Fork(step, checkpointId, agents, executionConfig, input, true);
    }

    /** The step it forks after; empty for a checkpoint fork. */
    public Optional<Integer> step() {
        return checkpointId == null ? Optional.of(step) : Optional.empty();
    }

    public Optional<String> checkpointId() {
        return Optional.ofNullable(checkpointId);
    }

    /** The agents it swaps in, by node name. */
    public Map<String, Agent> agents() {
        return agents;
    }

    public Optional<ExecutionConfig> executionConfig() {
        return Optional.ofNullable(executionConfig);
    }

    public Optional<Object> input() {
        return Optional.ofNullable(input);
    }

    /** Whether it runs in replay-until-divergence mode (else live). */
    public boolean replaysUntilDivergence() {
        return replay;
    }
}
