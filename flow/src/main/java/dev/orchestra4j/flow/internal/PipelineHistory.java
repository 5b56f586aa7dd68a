package dev.orchestra4j.flow.internal;

import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.TraceStep;
import dev.orchestra4j.flow.Performance;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.Score;
import dev.orchestra4j.topology.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A pipeline's {@link Performance} read from the engine's trace (which survives pauses and resumes). */
public final class PipelineHistory {

    private PipelineHistory() {}

    public static Performance performance(Pipeline pipeline, OrchestraResult result) {
        Map<String, String> stepOf = new LinkedHashMap<>();
        Map<String, Integer> cycleCaps = new LinkedHashMap<>();
        for (Node node : pipeline.compile().topology().nodes()) {
            Object step = node.metadata().get(PipelineCompiler.STEP);
            if (step != null) {
                stepOf.put(node.name(), String.valueOf(step));
            }
        }
        List<Score.Block> blocks = pipeline.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i) instanceof Score.Block.Cycle cycle) {
                cycleCaps.put("cycle#" + (i + 1), cycle.maxCycles());
            }
        }
        List<Performance.Entry> history = new ArrayList<>();
        Map<String, Object> outputs = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (TraceStep t : result.executionTrace()) {
            String stepId = stepOf.get(t.agent());
            if (stepId != null) {
                Object output = t.failed() ? null : data(pipeline.id(), t.output());
                history.add(new Performance.Entry(
                        history.size() + 1,
                        stepId,
                        data(pipeline.id(), t.input()),
                        output,
                        t.start(),
                        t.duration(),
                        t.attempt(),
                        t.error()));
                if (output != null) {
                    outputs.remove(stepId);
                    outputs.put(stepId, output);
                }
            }
            Integer cap = cycleCaps.get(t.agent());
            if (cap != null && !t.failed() && t.input() != null) {
                if (FlowFrame.of(pipeline.id(), t.input()).counter(t.agent()) >= cap) {
                    warnings.add("cycle '" + t.agent() + "' reached maxCycles (" + cap + ") and was left");
                }
            }
        }
        int last = history.isEmpty() ? 0 : history.getLast().stepNumber();
        return new Performance(
                pipeline.id(),
                result.sessionId(),
                "",
                last,
                history.isEmpty() ? 1 : history.getLast().attempt(),
                pipeline.metadata(),
                outputs,
                history,
                warnings);
    }

    private static @Nullable Object data(String flow, @Nullable Object value) {
        return value == null ? null : FlowFrame.of(flow, value).data();
    }
}
