package dev.orchestra4j.flow.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.orchestra4j.flow.FlowException;
import dev.orchestra4j.flow.GraphTask;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.WorkflowType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes the run-graph request body ({@code WorkflowRequest}); every bad field is reported at once. */
public final class RunGraphRequest {

    private RunGraphRequest() {}

    public static TaskGraph read(String json) {
        Object body;
        try {
            body = FlowJson.MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new FlowException("run-graph request is not valid JSON", List.of(e.getOriginalMessage()));
        }
        if (!(body instanceof Map<?, ?> map)) {
            throw new FlowException("run-graph request must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) map;
        return read(typed);
    }

    public static TaskGraph read(Map<String, ?> body) {
        List<String> problems = new ArrayList<>();
        WorkflowType type = workflowType(body.get("workflow_type"), problems);
        TaskGraph.Builder builder = TaskGraph.builder(type == null ? WorkflowType.SEQUENTIAL : type);
        Object id = body.get("workflow_id");
        if (id instanceof String s && !s.isBlank()) {
            builder.workflowId(s);
        } else if (id != null) {
            problems.add("workflow_id must be a non-blank string, was " + id);
        }
        Object tasks = body.get("tasks");
        if (tasks == null) {
            problems.add("tasks is required");
        } else if (!(tasks instanceof List<?> list)) {
            problems.add("tasks must be an array");
        } else {
            for (int i = 0; i < list.size(); i++) {
                task(list.get(i), "tasks[" + i + "]", problems).ifPresent(builder::task);
            }
        }
        Object metadata = body.get("metadata");
        if (metadata instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v != null) {
                    builder.metadata(String.valueOf(k), v);
                }
            });
        } else if (metadata != null) {
            problems.add("metadata must be an object");
        }
        if (!problems.isEmpty()) {
            throw new FlowException("run-graph request is not valid", problems);
        }
        return builder.build();
    }

    private static WorkflowType workflowType(Object value, List<String> problems) {
        if (value == null) {
            problems.add("workflow_type is required (sequential, parallel or graph)");
            return null;
        }
        try {
            return WorkflowType.fromWire(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static Optional<GraphTask> task(Object value, String at, List<String> problems) {
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(at + " must be an object");
            return Optional.empty();
        }
        int before = problems.size();
        String id = text(map, "agent_id", at, problems);
        String role = text(map, "agent_role", at, problems);
        Object input = map.get("input_data");
        if (input == null) {
            problems.add(at + ".input_data is required");
        } else if (!(input instanceof Map<?, ?>)) {
            problems.add(at + ".input_data must be an object");
        }
        List<String> deps = new ArrayList<>();
        Object dependsOn = map.get("depends_on");
        if (dependsOn instanceof List<?> list) {
            list.forEach(d -> deps.add(String.valueOf(d)));
        } else if (dependsOn != null) {
            problems.add(at + ".depends_on must be an array of agent_ids");
        }
        Object cont = map.get("continue_on_failure");
        if (cont != null && !(cont instanceof Boolean)) {
            problems.add(at + ".continue_on_failure must be a boolean");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        Map<String, Object> inputData = new LinkedHashMap<>();
        ((Map<?, ?>) input).forEach((k, v) -> inputData.put(String.valueOf(k), v));
        return Optional.of(new GraphTask(id, role, inputData, deps, Optional.ofNullable((Boolean) cont)));
    }

    private static String text(Map<?, ?> map, String key, String at, List<String> problems) {
        Object value = map.get(key);
        if (value instanceof String s) {
            return s;
        }
        problems.add(at + "." + key + (value == null ? " is required" : " must be a string"));
        return "";
    }

    public static Map<String, Object> write(TaskGraph graph) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workflow_id", graph.workflowId());
        out.put("workflow_type", graph.workflowType().wireName());
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (GraphTask t : graph.tasks()) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("agent_id", t.agentId());
            task.put("agent_role", t.agentRole());
            task.put("input_data", t.inputData());
            task.put("depends_on", t.dependsOn());
            t.continueOnFailure().ifPresent(c -> task.put("continue_on_failure", c));
            tasks.add(task);
        }
        out.put("tasks", tasks);
        out.put("metadata", graph.metadata());
        return out;
    }
}
