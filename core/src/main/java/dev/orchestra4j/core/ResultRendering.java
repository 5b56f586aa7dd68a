package dev.orchestra4j.core;

import dev.orchestra4j.core.internal.Json;
import dev.orchestra4j.core.internal.MermaidIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Text, JSON and Mermaid renderings of an {@link OrchestraResult}. */
final class ResultRendering {

    private ResultRendering() {}

    static String asText(Object value) {
        if (value instanceof Map<?, ?> map
                && (map.containsKey("title") || map.containsKey("summary") || map.containsKey("sections"))) {
            return markdown(map);
        }
        return Values.asText(value);
    }

    private static String markdown(Map<?, ?> map) {
        StringBuilder md = new StringBuilder();
        if (map.get("title") != null) {
            md.append("# ").append(map.get("title")).append("\n\n");
        }
        if (map.get("summary") != null) {
            md.append(map.get("summary")).append("\n\n");
        }
        Object sections = map.get("sections");
        if (sections instanceof Map<?, ?> named) {
            named.forEach((title, content) -> section(md, String.valueOf(title), content));
        } else if (sections instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> s) {
                    Object title = s.containsKey("title") ? s.get("title") : s.get("heading");
                    section(md, String.valueOf(title), s.containsKey("content") ? s.get("content") : s.get("body"));
                } else {
                    md.append("- ").append(item).append('\n');
                }
            }
        }
        return md.toString().strip() + "\n";
    }

    private static void section(StringBuilder md, String title, Object content) {
        md.append("## ").append(title).append("\n\n");
        if (content instanceof List<?> items) {
            items.forEach(item -> md.append("- ").append(item).append('\n'));
            md.append('\n');
        } else {
            md.append(content).append("\n\n");
        }
    }

    static String toJson(OrchestraResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionId", r.sessionId());
        out.put("status", r.status());
        out.put("success", r.success());
        out.put("finalResponse", r.finalResponse());
        out.put("finalResponses", r.finalResponses());
        out.put("error", r.error().orElse(null));
        out.put("totalSteps", r.totalSteps());
        out.put("totalDurationMillis", r.totalDuration().toMillis());
        out.put("metadata", r.metadata());
        out.put("checkpointIds", r.checkpointIds());
        out.put("pendingQuestions", r.pendingQuestions());
        out.put("metrics", metrics(r.metrics()));
        out.put(
                "branches",
                r.branchResults().stream().map(ResultRendering::branch).toList());
        out.put("trace", r.executionTrace().stream().map(ResultRendering::step).toList());
        return Json.write(out);
    }

    static String traceAsNdjson(List<TraceStep> trace) {
        StringBuilder out = new StringBuilder();
        trace.forEach(step -> out.append(Json.write(step(step))).append('\n'));
        return out.toString();
    }

    private static Map<String, Object> metrics(RunMetrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("steps", m.steps());
        out.put("branches", m.branches());
        out.put("invocations", m.invocations());
        out.put("retries", m.retries());
        out.put("timeouts", m.timeouts());
        out.put("inputTokens", m.inputTokens());
        out.put("outputTokens", m.outputTokens());
        out.put("wallTimeMillis", m.wallTime().toMillis());
        out.put("busyTimeMillis", m.busyTime().toMillis());
        return out;
    }

    private static Map<String, Object> branch(BranchResult b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("branchId", b.branchId());
        out.put("parentBranchId", b.parentBranchId());
        out.put("status", b.status());
        out.put("output", b.output());
        out.put("agents", b.agents());
        out.put("steps", b.steps());
        out.put("durationMillis", b.duration().toMillis());
        out.put("error", b.error().orElse(null));
        return out;
    }

    static Map<String, Object> step(TraceStep s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", s.index());
        out.put("branchId", s.branchId());
        out.put("agent", s.agent());
        out.put("action", s.action());
        out.put("targets", s.targets());
        out.put("input", s.input());
        out.put("output", s.output());
        out.put("start", s.start().toString());
        out.put("durationMicros", s.duration().toNanos() / 1000);
        out.put("attempt", s.attempt());
        out.put("error", s.error().orElse(null));
        out.put("toolCalls", s.toolCalls());
        out.put("inputTokens", s.inputTokens());
        out.put("outputTokens", s.outputTokens());
        return out;
    }

    static String toMermaid(OrchestraResult r) {
        Set<String> participants = new LinkedHashSet<>();
        participants.add("Start");
        List<String> lines = new ArrayList<>();
        Set<String> roots = new LinkedHashSet<>();
        r.branchResults().stream().filter(b -> b.parentBranchId() == null).forEach(b -> roots.add(b.branchId()));
        for (TraceStep s : r.executionTrace()) {
            participants.add(s.agent());
            if (roots.remove(s.branchId())) {
                lines.add("    Start->>" + id(s.agent()) + ": start " + s.branchId());
            }
            s.targets().forEach(participants::add);
            String label = s.action().name().toLowerCase(java.util.Locale.ROOT) + " " + s.branchId()
                    + s.error().map(e -> " ✗ " + shorten(e)).orElse("");
            if (s.targets().isEmpty()) {
                lines.add("    Note over " + id(s.agent()) + ": " + label);
            }
            for (String target : s.targets()) {
                lines.add("    " + id(s.agent()) + (s.action() == TraceStep.Action.PARALLEL ? "-)" : "->>") + id(target)
                        + ": " + label);
            }
        }
        StringBuilder out = new StringBuilder("sequenceDiagram\n");
        participants.forEach(p -> out.append("    participant ")
                .append(id(p))
                .append(" as ")
                .append(p)
                .append('\n'));
        lines.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    private static String id(String name) {
        return MermaidIds.participant(name);
    }

    private static String shorten(String text) {
        String flat = text.replaceAll("[\\r\\n;:#]", " ");
        return flat.length() <= 60 ? flat : flat.substring(0, 57) + "...";
    }
}
