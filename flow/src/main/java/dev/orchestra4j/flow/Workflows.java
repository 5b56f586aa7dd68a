package dev.orchestra4j.flow;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.flow.internal.FlowFrame;
import dev.orchestra4j.flow.internal.WorkflowCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Runs {@link WorkflowDefinition}s: {@code Workflows.run(definition, agents, input)}. */
public final class Workflows {

    private Workflows() {}

    /** Runs with an empty input. */
    public static WorkflowRun run(WorkflowDefinition definition, AgentRegistry agents) {
        return run(definition, agents, Map.of());
    }

    /** Runs with {@code input} (a Map or a String), visible to templates as {@code input}. */
    public static WorkflowRun run(WorkflowDefinition definition, AgentRegistry agents, Object input) {
        return run(definition, agents, input, UnaryOperator.identity());
    }

    /** Runs with options added (a state manager, listeners, error and execution configs). */
    public static WorkflowRun run(
            WorkflowDefinition definition,
            AgentRegistry agents,
            Object input,
            UnaryOperator<RunOptions.Builder> options) {
        CompiledFlow flow = definition.compile(agents);
        return result(definition, flow.run(Pipeline.task(input), options));
    }

    /** A workflow run from an engine result of the definition's compiled flow (after a resume, for example). */
    public static WorkflowRun result(WorkflowDefinition definition, OrchestraResult result) {
        Map<String, Object> context = context(definition, result);
        Optional<Object> value = result.success() && result.finalResponse() instanceof Map<?, ?> m
                ? Optional.ofNullable(m.get("result"))
                : Optional.empty();
        return new WorkflowRun(status(result), context, value, error(definition, result), result);
    }

    private static WorkflowRun.Status status(OrchestraResult result) {
        return switch (result.status()) {
            case COMPLETED -> WorkflowRun.Status.COMPLETED;
            case FAILED -> WorkflowRun.Status.FAILED;
            case PAUSED -> WorkflowRun.Status.PAUSED;
            case WAITING_FOR_USER -> WorkflowRun.Status.WAITING_FOR_USER;
            case TIMED_OUT -> WorkflowRun.Status.TIMED_OUT;
            case CANCELLED -> WorkflowRun.Status.CANCELLED;
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> context(WorkflowDefinition definition, OrchestraResult result) {
        if (result.finalResponse() instanceof Map<?, ?> m && m.get("context") instanceof Map<?, ?> context) {
            return (Map<String, Object>) context;
        }
        Map<String, Object> steps = new LinkedHashMap<>();
        Object input = Map.of();
        boolean first = true;
        for (TraceStep t : result.executionTrace()) {
            for (Object value : new Object[] {t.input(), t.output()}) {
                if (value instanceof FlowFrame || value instanceof Map<?, ?> map && map.containsKey(FlowFrame.TAG)) {
                    FlowFrame frame = FlowFrame.of(definition.id(), value);
                    if (first) {
                        input = frame.data();
                        first = false;
                    }
                    steps.putAll(frame.outputs());
                }
            }
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("input", input);
        context.put("workflow", Map.of("id", definition.id(), "name", definition.name()));
        context.put("steps", steps);
        return context;
    }

    private static Optional<String> error(WorkflowDefinition definition, OrchestraResult result) {
        if (result.success()) {
            return Optional.empty();
        }
        List<TraceStep> trace = result.executionTrace();
        for (int i = trace.size() - 1; i >= 0; i--) {
            TraceStep t = trace.get(i);
            if (t.error().isPresent()) {
                Optional<WorkflowStep> top = topLevel(definition, t.agent());
                if (top.isPresent()) {
                    return Optional.of("Step '" + top.get().name() + "' failed: "
                            + t.error().get());
                }
            }
        }
        return result.error();
    }

    private static Optional<WorkflowStep> topLevel(WorkflowDefinition definition, String node) {
        for (WorkflowStep s : definition.steps()) {
            if (WorkflowCheck.flatten(List.of(s)).stream().anyMatch(x -> x.id().equals(node))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
