package dev.orchestra4j.flow;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One task of a {@link TaskGraph} (the run-graph {@code AgentTask}).
 *
 * @param agentId the task's id, unique in its graph; it names the task's node and keys {@code depends_on}
 * @param agentRole the role whose agent runs the task (resolved through a {@link RoleRegistry})
 * @param inputData what the task is given
 * @param dependsOn the {@code agentId}s this task waits for (graph workflows only)
 * @param continueOnFailure in a sequential workflow, whether the run goes on after this task fails; empty means the
 *     seed's default (only tasks of role {@code qa} may fail without stopping the run)
 */
public record GraphTask(
        String agentId,
        String agentRole,
        Map<String, Object> inputData,
        List<String> dependsOn,
        Optional<Boolean> continueOnFailure) {

    public GraphTask {
        requireNonNull(agentId, "agentId");
        requireNonNull(agentRole, "agentRole");
        inputData = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(inputData, "inputData")));
        dependsOn = List.copyOf(dependsOn);
        requireNonNull(continueOnFailure, "continueOnFailure");
    }

    public static GraphTask of(String agentId, String agentRole, Map<String, ?> inputData, String... dependsOn) {
        return new GraphTask(agentId, agentRole, new LinkedHashMap<>(inputData), List.of(dependsOn), Optional.empty());
    }

    /** This task with an explicit continue-on-failure choice. */
    public GraphTask continueOnFailure(boolean value) {
        return new GraphTask(agentId, agentRole, inputData, dependsOn, Optional.of(value));
    }

    /** Whether a sequential run goes on after this task fails. */
    public boolean continuesOnFailure() {
        return continueOnFailure.orElse(agentRole.equals("qa"));
    }
}
