package dev.orchestra4j.flow.internal;

import dev.cel.runtime.CelEvaluationException;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentRequest;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorContext;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.flow.ConditionalStep;
import dev.orchestra4j.flow.LoopStep;
import dev.orchestra4j.flow.ParallelStep;
import dev.orchestra4j.flow.ProcessingStep;
import dev.orchestra4j.flow.TaskStep;
import dev.orchestra4j.flow.WorkflowDefinition;
import dev.orchestra4j.flow.WorkflowStep;
import dev.orchestra4j.topology.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The agents of a compiled workflow; the context tree travels in the frame ({@code outputs} are {@code steps}). */
final class WorkflowNodes {

    private final WorkflowDefinition definition;
    private final AgentRegistry userAgents;
    private final Map<String, List<WorkflowStep>> scopes;

    WorkflowNodes(WorkflowDefinition definition, AgentRegistry userAgents) {
        this.definition = definition;
        this.userAgents = userAgents;
        this.scopes = WorkflowCheck.scopes(definition.steps());
    }

    /** The frame of a request; over an error edge, the failed step's frame with its error recorded. */
    private FlowFrame frame(AgentRequest request) {
        Object input = request.input() instanceof ErrorContext e ? e.input() : request.input();
        FlowFrame frame = FlowFrame.of(definition.id(), input);
        ErrorContext error = request.input() instanceof ErrorContext e
                ? e
                : request.error()
                        .filter(e -> !e.failedAgent().equals(request.agent()))
                        .orElse(null);
        if (error == null) {
            return frame;
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("success", false);
        entry.put("error", error.message());
        return frame.withOutput(error.failedAgent(), entry, frame.data());
    }

    Map<String, Object> context(FlowFrame frame) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("input", frame.data());
        context.put("workflow", Map.of("id", definition.id(), "name", definition.name()));
        context.put("steps", frame.outputs());
        return context;
    }

    Agent task(TaskStep step, String next, boolean catchErrors) {
        return request -> {
            FlowFrame frame = frame(request);
            String prompt;
            try {
                prompt = Liquid.render(step.prompt(), context(frame));
            } catch (IllegalArgumentException e) {
                return AgentResponse.fail(
                        "step '" + step.id() + "' prompt: " + e.getMessage(), ErrorCategory.VALIDATION);
            }
            Agent agent = userAgents
                    .find(step.agent())
                    .orElseThrow(() -> new IllegalStateException("no agent '" + step.agent() + "'"));
            Map<String, Object> entry;
            if (catchErrors) {
                entry = switch (Requests.call(agent, Requests.withInput(request, prompt))) {
                    case Requests.Answer.Value v -> success(v.value());
                    case Requests.Answer.Failure f -> failure(f.message());
                };
            } else {
                AgentResponse response = agent.act(Requests.withInput(request, prompt));
                switch (response) {
                    case AgentResponse.Finish f -> entry = success(f.answer());
                    case AgentResponse.Reply r -> entry = success(r.content());
                    case AgentResponse.Fail f -> {
                        return f;
                    }
                    default -> {
                        return AgentResponse.fail(
                                "agent '" + step.agent() + "' of step '" + step.id()
                                        + "' must answer with finish or reply",
                                ErrorCategory.VALIDATION);
                    }
                }
            }
            return handOn(next, frame.withOutput(step.id(), entry, frame.data()));
        };
    }

    Agent processing(ProcessingStep step, String next, boolean catchErrors) {
        Function<Map<String, Object>, Object> function =
                definition.functions().find(step.function()).orElseThrow();
        return request -> {
            FlowFrame frame = frame(request);
            Map<String, Object> arguments = new LinkedHashMap<>(context(frame));
            try {
                step.contextData()
                        .forEach((k, v) ->
                                arguments.put(k, v instanceof String text ? Liquid.render(text, context(frame)) : v));
            } catch (IllegalArgumentException e) {
                return AgentResponse.fail(
                        "step '" + step.id() + "' context_data: " + e.getMessage(), ErrorCategory.VALIDATION);
            }
            Map<String, Object> entry;
            try {
                entry = success(function.apply(arguments));
            } catch (RuntimeException e) {
                if (!catchErrors) {
                    throw e;
                }
                entry = failure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            return handOn(next, frame.withOutput(step.id(), entry, frame.data()));
        };
    }

    Agent conditional(ConditionalStep step, String then, String otherwise, String next) {
        Conditions.Condition condition = Conditions.compile(step.condition(), scopes.get(step.id()));
        return request -> {
            FlowFrame frame = frame(request);
            boolean holds;
            try {
                holds = condition.test(context(frame));
            } catch (CelEvaluationException e) {
                return AgentResponse.fail(
                        "step '" + step.id() + "' condition failed: " + e.getMessage(), ErrorCategory.VALIDATION);
            }
            String branch = holds ? "then" : otherwise == null ? "none" : "else";
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("condition_result", holds);
            entry.put("branch", branch);
            entry.put("success", true);
            FlowFrame out = frame.withOutput(step.id(), entry, frame.data());
            return switch (branch) {
                case "then" -> AgentResponse.invoke(then, out);
                case "else" -> AgentResponse.invoke(otherwise, out);
                default -> handOn(next, out);
            };
        };
    }

    Agent parallel(ParallelStep step, String next) {
        String cursor = step.id() + NodeNames.SYNTHETIC + "next";
        return request -> {
            FlowFrame frame = frame(request);
            int dispatched = request.arrivals().isEmpty() ? 0 : frame.counter(cursor);
            if (dispatched < step.steps().size()) {
                int end = Math.min(step.steps().size(), dispatched + step.maxConcurrency());
                FlowFrame out = frame.withCounter(cursor, end);
                List<Invocation> wave = new ArrayList<>();
                for (WorkflowStep child : step.steps().subList(dispatched, end)) {
                    wave.add(Invocation.of(child.id(), out));
                }
                return AgentResponse.parallel(wave);
            }
            List<Object> results = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (WorkflowStep child : step.steps()) {
                Map<?, ?> childEntry = frame.outputs().get(child.id()) instanceof Map<?, ?> m ? m : Map.of();
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("step", child.id());
                childEntry.forEach((k, v) -> result.put(String.valueOf(k), v));
                results.add(result);
                if (!Boolean.TRUE.equals(childEntry.get("success"))) {
                    errors.add(String.valueOf(childEntry.get("error")));
                }
            }
            if (!errors.isEmpty()) {
                return AgentResponse.fail(String.join("; ", errors), ErrorCategory.AGENT);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("results", results);
            entry.put("success", true);
            return handOn(next, frame.withOutput(step.id(), entry, frame.data()).withCounter(cursor, 0));
        };
    }

    Agent loop(LoopStep step, String next) {
        Conditions.Condition exit = step.exitWhen()
                .map(e -> {
                    List<WorkflowStep> scope = new ArrayList<>(scopes.get(step.id()));
                    scope.add(step);
                    scope.add(step.step());
                    return Conditions.compile(e, scope);
                })
                .orElse(null);
        String body = step.step().id();
        return request -> {
            FlowFrame frame = frame(request);
            int iteration = frame.counter(step.id());
            if (iteration == 0) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("iteration", 1);
                entry.put("max_iterations", step.maxIterations());
                entry.put("iterations", List.of());
                entry.put("success", true);
                return AgentResponse.invoke(
                        body, frame.withOutput(step.id(), entry, frame.data()).withCounter(step.id(), 1));
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            asMap(frame.outputs().get(step.id())).forEach((k, v) -> entry.put(String.valueOf(k), v));
            Object last = frame.outputs().get(body);
            List<Object> iterations = new ArrayList<>(asList(entry.get("iterations")));
            iterations.add(last);
            entry.put("iterations", iterations);
            entry.put("last", last);
            FlowFrame recorded = frame.withOutput(step.id(), entry, frame.data());
            boolean done;
            try {
                done = exit != null && exit.test(context(recorded));
            } catch (CelEvaluationException e) {
                return AgentResponse.fail(
                        "step '" + step.id() + "' exit_when failed: " + e.getMessage(), ErrorCategory.VALIDATION);
            }
            if (!done && iteration < step.maxIterations()) {
                entry.put("iteration", iteration + 1);
                return AgentResponse.invoke(
                        body, frame.withOutput(step.id(), entry, frame.data()).withCounter(step.id(), iteration + 1));
            }
            if (!done && step.failAtMax()) {
                return AgentResponse.fail(
                        "step '" + step.id() + "' reached max_iterations (" + step.maxIterations() + ")",
                        ErrorCategory.VALIDATION);
            }
            entry.put("total_iterations", iteration);
            entry.put("result", last instanceof Map<?, ?> m ? m.get("result") : null);
            return handOn(next, frame.withOutput(step.id(), entry, frame.data()).withCounter(step.id(), 0));
        };
    }

    private AgentResponse handOn(String next, FlowFrame frame) {
        if (!next.equals(Node.END)) {
            return AgentResponse.invoke(next, frame);
        }
        WorkflowStep last = definition.steps().getLast();
        Map<String, Object> out = new LinkedHashMap<>();
        Object result = WorkflowResults.resultOf(last, frame.outputs());
        out.put("result", result == null ? "" : result);
        out.put("context", context(frame));
        return AgentResponse.invoke(Node.END, out);
    }

    private static Map<String, Object> success(Object value) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("result", value instanceof String s ? s : FlowJson.write(FlowJson.plain(value)));
        entry.put("output", FlowJson.plain(value));
        entry.put("success", true);
        return entry;
    }

    private static Map<String, Object> failure(String message) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("success", false);
        entry.put("error", message);
        return entry;
    }

    private static Map<?, ?> asMap(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
