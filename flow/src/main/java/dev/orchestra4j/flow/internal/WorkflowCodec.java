package dev.orchestra4j.flow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra4j.flow.ConditionalStep;
import dev.orchestra4j.flow.FlowException;
import dev.orchestra4j.flow.FunctionRegistry;
import dev.orchestra4j.flow.LoopStep;
import dev.orchestra4j.flow.OnError;
import dev.orchestra4j.flow.ParallelStep;
import dev.orchestra4j.flow.ProcessingStep;
import dev.orchestra4j.flow.TaskStep;
import dev.orchestra4j.flow.WorkflowDefinition;
import dev.orchestra4j.flow.WorkflowStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Workflow definitions to and from JSON/YAML maps; ids are kept exactly. */
public final class WorkflowCodec {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private WorkflowCodec() {}

    public static WorkflowDefinition fromJson(String json, FunctionRegistry functions) {
        return read(FlowJson.MAPPER, json, functions, "JSON");
    }

    public static WorkflowDefinition fromYaml(String yaml, FunctionRegistry functions) {
        return read(FlowJson.YAML, yaml, functions, "YAML");
    }

    private static WorkflowDefinition read(ObjectMapper mapper, String text, FunctionRegistry functions, String what) {
        Map<?, ?> map;
        try {
            map = mapper.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new FlowException("workflow " + what + " is not valid", List.of(e.getOriginalMessage()));
        }
        if (map == null) {
            throw new FlowException("workflow " + what + " is not valid", List.of("it is null, not an object"));
        }
        return fromMap(map, functions);
    }

    public static WorkflowDefinition fromMap(Map<?, ?> map, FunctionRegistry functions) {
        List<String> problems = new ArrayList<>();
        Object name = map.get("name");
        if (!(name instanceof String)) {
            throw new FlowException("workflow definition needs a 'name'");
        }
        WorkflowDefinition.Builder b = WorkflowDefinition.builder((String) name).functions(functions);
        Fields.optText(map, "id", "workflow", problems).ifPresent(b::id);
        Fields.optText(map, "description", "workflow", problems).ifPresent(b::description);
        Fields.optMap(map, "metadata", "workflow", problems).forEach((k, v) -> b.metadata(String.valueOf(k), v));
        List<?> steps = Fields.optList(map, "steps", "workflow", problems);
        for (int i = 0; i < steps.size(); i++) {
            step(steps.get(i), "steps[" + i + "]", problems).ifPresent(b::step);
        }
        if (!problems.isEmpty()) {
            throw new FlowException("workflow '" + name + "' cannot be read", problems);
        }
        return b.build();
    }

    private static Optional<WorkflowStep> step(Object value, String at, List<String> problems) {
        if (!(value instanceof Map<?, ?> m)) {
            problems.add(at + " must be an object");
            return Optional.empty();
        }
        String id = text(m, "id", at, problems);
        String type = text(m, "type", at, problems);
        if (id == null || type == null) {
            return Optional.empty();
        }
        String name = Fields.optText(m, "name", at, problems).orElse(id);
        OnError onError = OnError.FAIL;
        try {
            Optional<String> onErrorText = Fields.optText(m, "on_error", at, problems);
            if (onErrorText.isPresent()) {
                onError = OnError.parse(onErrorText.get());
            }
            OnError handling = onError;
            return switch (type) {
                case "task" -> Optional.of(task(m, id, name, onError, at, problems));
                case "processing" -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    Fields.optMap(m, "context_data", at, problems).forEach((k, v) -> data.put(String.valueOf(k), v));
                    yield Optional.of(new ProcessingStep(id, name, text(m, "function", at, problems), data, onError));
                }
                case "conditional" -> {
                    Optional<WorkflowStep> then = step(m.get("then"), at + ".then", problems);
                    Optional<WorkflowStep> otherwise =
                            m.get("else") == null ? Optional.empty() : step(m.get("else"), at + ".else", problems);
                    String condition = text(m, "condition", at, problems);
                    yield then.map(t -> new ConditionalStep(id, name, condition, t, otherwise, handling));
                }
                case "parallel" -> {
                    List<WorkflowStep> children = new ArrayList<>();
                    List<?> list = Fields.optList(m, "steps", at, problems);
                    for (int i = 0; i < list.size(); i++) {
                        step(list.get(i), at + ".steps[" + i + "]", problems).ifPresent(children::add);
                    }
                    int max = Fields.optInt(m, "max_concurrency", 5, at, problems);
                    Object onFailure = m.get("on_failure");
                    if (onFailure != null && !"wait_all".equals(onFailure) && !"fail_fast".equals(onFailure)) {
                        problems.add(at + ".on_failure must be wait_all or fail_fast, was '" + onFailure + "'");
                    }
                    yield Optional.of(
                            new ParallelStep(id, name, children, max, "fail_fast".equals(onFailure), onError));
                }
                case "loop" -> {
                    Optional<WorkflowStep> body = step(m.get("step"), at + ".step", problems);
                    Optional<String> exit = Fields.optText(m, "exit_when", at, problems);
                    int max = Fields.optInt(m, "max_iterations", 10, at, problems);
                    Optional<String> onMax = Fields.optText(m, "on_max", at, problems);
                    if (onMax.isPresent()
                            && !onMax.get().equals("fail")
                            && !onMax.get().equals("exit")) {
                        problems.add(at + ".on_max must be fail or exit, was '" + onMax.get() + "'");
                    }
                    boolean fail = onMax.filter("fail"::equals).isPresent();
                    OnError e = onError;
                    yield body.map(s -> new LoopStep(id, name, s, exit, max, fail, e));
                }
                default -> {
                    problems.add(
                            at + ".type must be task, conditional, parallel, loop or processing, was '" + type + "'");
                    yield Optional.empty();
                }
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(at + " ('" + id + "'): " + e.getMessage());
            return Optional.empty();
        }
    }

    private static TaskStep task(
            Map<?, ?> m, String id, String name, OnError onError, String at, List<String> problems) {
        Optional<Integer> retry = Optional.empty();
        Object retryValue = m.get("retry");
        if (retryValue instanceof Map<?, ?> r) {
            retry = Optional.of(Fields.optInt(r, "max", 0, at + ".retry", problems));
        } else if (retryValue != null) {
            retry = Optional.of(Fields.optInt(m, "retry", 0, at, problems));
        }
        Optional<Duration> timeout = Fields.optText(m, "timeout", at, problems).map(WorkflowCodec::duration);
        return new TaskStep(
                id, name, text(m, "agent", at, problems), text(m, "prompt", at, problems), retry, timeout, onError);
    }

    /** {@code 30s}, {@code 100ms}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
    static Duration duration(String value) {
        Matcher short_ = SHORT_DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (short_.matches()) {
            long n = Long.parseLong(short_.group(1));
            return switch (short_.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        return Duration.parse(value.trim());
    }

    private static String text(Map<?, ?> m, String key, String at, List<String> problems) {
        if (m.get(key) instanceof String s) {
            return s;
        }
        problems.add(at + "." + key + (m.get(key) == null ? " is required" : " must be a string"));
        return "";
    }

    public static Map<String, Object> toMap(WorkflowDefinition d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("name", d.name());
        out.put("description", d.description());
        out.put("metadata", d.metadata());
        out.put("steps", d.steps().stream().map(WorkflowCodec::step).toList());
        return out;
    }

    private static Map<String, Object> step(WorkflowStep s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("type", s.type());
        if (!s.name().equals(s.id())) {
            out.put("name", s.name());
        }
        switch (s) {
            case TaskStep t -> {
                out.put("agent", t.agent());
                out.put("prompt", t.prompt());
                t.retry().ifPresent(r -> out.put("retry", Map.of("max", r)));
                t.timeout().ifPresent(d -> out.put("timeout", d.toString()));
            }
            case ProcessingStep p -> {
                out.put("function", p.function());
                if (!p.contextData().isEmpty()) {
                    out.put("context_data", p.contextData());
                }
            }
            case ConditionalStep c -> {
                out.put("condition", c.condition());
                out.put("then", step(c.then()));
                c.otherwise().ifPresent(o -> out.put("else", step(o)));
            }
            case ParallelStep p -> {
                out.put("max_concurrency", p.maxConcurrency());
                if (p.failFast()) {
                    out.put("on_failure", "fail_fast");
                }
                out.put("steps", p.steps().stream().map(WorkflowCodec::step).toList());
            }
            case LoopStep l -> {
                out.put("max_iterations", l.maxIterations());
                l.exitWhen().ifPresent(e -> out.put("exit_when", e));
                if (l.failAtMax()) {
                    out.put("on_max", "fail");
                }
                out.put("step", step(l.step()));
            }
        }
        if (s.onError() != OnError.FAIL && !s.onError().equals(OnError.FAIL)) {
            out.put("on_error", s.onError().wire());
        }
        return out;
    }
}
