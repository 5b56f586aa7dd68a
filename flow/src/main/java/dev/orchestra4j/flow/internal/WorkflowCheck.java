package dev.orchestra4j.flow.internal;

import dev.orchestra4j.flow.ConditionalStep;
import dev.orchestra4j.flow.LoopStep;
import dev.orchestra4j.flow.OnError;
import dev.orchestra4j.flow.ParallelStep;
import dev.orchestra4j.flow.ProcessingStep;
import dev.orchestra4j.flow.TaskStep;
import dev.orchestra4j.flow.WorkflowDefinition;
import dev.orchestra4j.flow.WorkflowStep;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Load-time checks of a workflow definition, every problem at once. */
public final class WorkflowCheck {

    private WorkflowCheck() {}

    /** Steps in pre-order (a composite before its children). */
    public static List<WorkflowStep> flatten(List<WorkflowStep> steps) {
        List<WorkflowStep> out = new ArrayList<>();
        for (WorkflowStep s : steps) {
            out.add(s);
            out.addAll(flatten(s.children()));
        }
        return out;
    }

    public static List<String> problems(WorkflowDefinition definition) {
        List<String> problems = new ArrayList<>();
        if (definition.steps().isEmpty()) {
            problems.add("a workflow needs at least one step");
        }
        List<WorkflowStep> all = flatten(definition.steps());
        Set<String> seen = new HashSet<>();
        for (WorkflowStep s : all) {
            NodeNames.problem(s.id()).ifPresent(p -> problems.add("step id " + p));
            if (!seen.add(s.id())) {
                problems.add("step id '" + s.id() + "' is used twice (ids must be unique in a workflow)");
            }
            for (WorkflowStep child : s.children()) {
                if (!(child instanceof TaskStep) && !(child instanceof ProcessingStep)) {
                    problems.add("step '" + s.id() + "' nests " + child.type() + " step '" + child.id()
                            + "'; only task and processing steps can be nested");
                }
            }
            if (s.onError().kind() == OnError.Kind.GOTO
                    && all.stream()
                            .noneMatch(o -> o.id().equals(s.onError().target().orElseThrow()))) {
                problems.add("step '" + s.id() + "' has on_error goto:"
                        + s.onError().target().orElseThrow() + ", which is not a step of this workflow");
            }
        }
        Map<String, List<WorkflowStep>> scopes = scopes(definition.steps());
        for (WorkflowStep s : all) {
            checkStep(s, scopes.get(s.id()), all, definition, problems);
        }
        return problems;
    }

    /** For each step: the steps whose entries exist when it runs (earlier ones and the ones around it). */
    public static Map<String, List<WorkflowStep>> scopes(List<WorkflowStep> top) {
        Map<String, List<WorkflowStep>> out = new LinkedHashMap<>();
        List<WorkflowStep> before = new ArrayList<>();
        for (WorkflowStep s : top) {
            out.put(s.id(), List.copyOf(before));
            List<WorkflowStep> inner = new ArrayList<>(before);
            inner.add(s);
            for (WorkflowStep child : s.children()) {
                out.put(child.id(), List.copyOf(inner));
                if (s instanceof ParallelStep) {
                    continue;
                }
                inner.add(child);
            }
            before.add(s);
            before.addAll(s.children());
        }
        return out;
    }

    private static void checkStep(
            WorkflowStep s,
            List<WorkflowStep> scope,
            List<WorkflowStep> all,
            WorkflowDefinition definition,
            List<String> problems) {
        switch (s) {
            case TaskStep t -> template("step '" + t.id() + "' prompt", t.prompt(), scope, all, problems);
            case ProcessingStep p -> {
                if (definition.functions().find(p.function()).isEmpty()) {
                    problems.add("step '" + p.id() + "' names function '" + p.function()
                            + "', which is not registered (registered: "
                            + definition.functions().names() + ")");
                }
                p.contextData().forEach((k, v) -> {
                    if (v instanceof String text) {
                        template("step '" + p.id() + "' context_data." + k, text, scope, all, problems);
                    }
                });
            }
            case ConditionalStep c -> condition("step '" + c.id() + "' condition", c.condition(), scope, problems);
            case LoopStep l -> {
                List<WorkflowStep> inner = new ArrayList<>(scope);
                inner.add(l);
                inner.add(l.step());
                l.exitWhen().ifPresent(e -> condition("step '" + l.id() + "' exit_when", e, inner, problems));
            }
            case ParallelStep p -> {}
        }
    }

    private static void template(
            String where, String template, List<WorkflowStep> scope, List<WorkflowStep> all, List<String> problems) {
        String syntax = Liquid.syntaxProblem(template);
        if (syntax != null) {
            problems.add(where + " is not valid Liquid: " + syntax);
            return;
        }
        Set<String> visible = new HashSet<>();
        scope.forEach(s -> visible.add(s.id()));
        for (Liquid.Reference ref : Liquid.references(template)) {
            if (visible.contains(ref.stepId())) {
                continue;
            }
            boolean exists = all.stream().anyMatch(s -> s.id().equals(ref.stepId()));
            problems.add(where + " refers to "
                    + (exists
                            ? "step '" + ref.stepId() + "', which runs after it"
                            : "unknown step '" + ref.stepId() + "'")
                    + " (at position " + ref.position() + ")");
        }
    }

    private static void condition(String where, String source, List<WorkflowStep> scope, List<String> problems) {
        try {
            Conditions.compile(source, scope);
        } catch (IllegalArgumentException e) {
            problems.add(where + " does not type-check: " + e.getMessage().replace('\n', ' '));
        }
    }
}
