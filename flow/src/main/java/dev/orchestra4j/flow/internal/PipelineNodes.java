package dev.orchestra4j.flow.internal;

import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Arrival;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.flow.OnMaxCycles;
import dev.orchestra4j.flow.Performance;
import dev.orchestra4j.flow.Route;
import dev.orchestra4j.flow.Score;
import dev.orchestra4j.flow.Step;
import dev.orchestra4j.flow.StepHandler;
import dev.orchestra4j.topology.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agents of a compiled pipeline: step nodes, ensemble hubs, fork gates and cycle gates. */
final class PipelineNodes {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineNodes.class);
    /** Frame counter: step runs so far. */
    static final String STEPS = "#steps";
    /** Data of a collect-errors ensemble member that failed. */
    static final String ERROR = "@error";

    private final String pipelineId;
    private final Map<String, Object> metadata;

    PipelineNodes(String pipelineId, Map<String, Object> metadata) {
        this.pipelineId = pipelineId;
        this.metadata = Map.copyOf(metadata);
    }

    /** A step: checks the input, runs the handler, checks the output, hands on. */
    @SuppressWarnings("unchecked")
    Agent step(Step<?, ?> step, String next, boolean catchErrors) {
        StepHandler<Object, Object> handler = (StepHandler<Object, Object>) step.handler();
        String where = "step '" + step.id() + "'";
        return request -> {
            FlowFrame frame = FlowFrame.of(pipelineId, request.input());
            Object input;
            try {
                input = Contracts.check(frame.data(), step.inputType(), step.handlerInput(), where + " input");
            } catch (Contracts.Violation v) {
                return AgentResponse.fail(v.getMessage(), ErrorCategory.VALIDATION);
            }
            int number = frame.counter(STEPS) + 1;
            Performance performance = new Performance(
                    pipelineId,
                    request.sessionId(),
                    step.id(),
                    number,
                    request.attempt(),
                    metadata,
                    frame.outputs(),
                    List.of(),
                    List.of());
            Object output;
            try {
                output = handler.handle(input, performance);
            } catch (Exception e) {
                if (!catchErrors || e instanceof InterruptedException) {
                    throw e;
                }
                output = Map.of(ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                return AgentResponse.invoke(next, frame.withData(output));
            }
            if (output == null) {
                return AgentResponse.fail(where + " returned null", ErrorCategory.VALIDATION);
            }
            if (!step.lenientOutput()) {
                try {
                    Contracts.convert(output, step.outputType(), where + " output");
                } catch (Contracts.Violation v) {
                    return AgentResponse.fail(v.getMessage(), ErrorCategory.VALIDATION);
                }
            }
            if (next.equals(Node.END)) {
                return AgentResponse.invoke(Node.END, output);
            }
            return AgentResponse.invoke(next, frame.withOutput(step.id(), output, output, STEPS, number));
        };
    }

    /** An ensemble hub: forks every member on the same frame, then merges their outputs by step id. */
    Agent ensemble(String hub, List<String> members, Score.Block.Ensemble block, String next) {
        return request -> {
            List<Arrival> arrivals = request.arrivals();
            FlowFrame frame = FlowFrame.of(pipelineId, request.input());
            if (arrivals.isEmpty()) {
                List<Invocation> fork = new ArrayList<>();
                members.forEach(m -> fork.add(Invocation.of(m, frame)));
                return AgentResponse.parallel(fork);
            }
            Map<String, Object> merged = new LinkedHashMap<>();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                String stepId = block.members().get(i).id();
                Optional<Object> data = dataFrom(arrivals, members.get(i));
                if (data.isPresent() && data.get() instanceof Map<?, ?> m && m.containsKey(ERROR)) {
                    errors.add(stepId + ": " + m.get(ERROR));
                } else {
                    data.ifPresent(d -> merged.put(stepId, d));
                }
            }
            if (!errors.isEmpty()) {
                return AgentResponse.fail(String.join("; ", errors), ErrorCategory.AGENT);
            }
            return handOn(next, frame.withData(merged));
        };
    }

    private Optional<Object> dataFrom(List<Arrival> arrivals, String member) {
        for (Arrival a : arrivals) {
            if (a.agent().equals(member)) {
                return Optional.of(FlowFrame.of(pipelineId, a.value()).data());
            }
        }
        return Optional.empty();
    }

    /** A fork gate: the first route whose gate holds; else otherwise, strict failure, or pass-through. */
    Agent fork(String gate, Score.Block.Fork block, List<String> targets, Optional<String> otherwise, String next) {
        return request -> {
            FlowFrame frame = FlowFrame.of(pipelineId, request.input());
            for (int i = 0; i < block.routes().size(); i++) {
                Route route = block.routes().get(i);
                Object value;
                try {
                    value = gateValue(frame, route.step(), gate);
                } catch (Contracts.Violation v) {
                    return AgentResponse.fail(v.getMessage(), ErrorCategory.VALIDATION);
                }
                if (route.gate().test(value)) {
                    return AgentResponse.invoke(targets.get(i), frame);
                }
            }
            if (otherwise.isPresent()) {
                return AgentResponse.invoke(otherwise.get(), frame);
            }
            if (block.strict()) {
                return AgentResponse.fail(
                        "no route of strict fork '" + gate + "' matched " + FlowJson.write(frame.data()),
                        ErrorCategory.VALIDATION);
            }
            return handOn(next, frame);
        };
    }

    /** A cycle gate: pre-test loop with its counter in the frame. */
    Agent cycle(String gate, Score.Block.Cycle block, String body, String next) {
        return request -> {
            FlowFrame frame = FlowFrame.of(pipelineId, request.input());
            int count = frame.counter(gate);
            if (count >= block.maxCycles()) {
                String message = "cycle '" + gate + "' reached maxCycles (" + block.maxCycles() + ")";
                if (block.onMax() == OnMaxCycles.FAIL) {
                    return AgentResponse.fail(message, ErrorCategory.VALIDATION);
                }
                LOG.warn("{} in pipeline '{}'; leaving it with the data as it is", message, pipelineId);
                return handOn(next, frame.withCounter(gate, 0));
            }
            Object value;
            try {
                value = gateValue(frame, block.step(), gate);
            } catch (Contracts.Violation v) {
                return AgentResponse.fail(v.getMessage(), ErrorCategory.VALIDATION);
            }
            if (block.gate().test(value)) {
                return AgentResponse.invoke(body, frame.withCounter(gate, count + 1));
            }
            return handOn(next, frame.withCounter(gate, 0));
        };
    }

    private static Object gateValue(FlowFrame frame, Step<?, ?> step, String gate) throws Contracts.Violation {
        return Contracts.check(frame.data(), step.inputType(), step.handlerInput(), "gate of '" + gate + "'");
    }

    private static AgentResponse handOn(String next, FlowFrame frame) {
        return next.equals(Node.END) ? AgentResponse.invoke(Node.END, frame.data()) : AgentResponse.invoke(next, frame);
    }
}
