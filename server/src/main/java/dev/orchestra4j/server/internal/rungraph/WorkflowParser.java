package dev.orchestra4j.server.internal.rungraph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.flow.CompiledFlow;
import dev.orchestra4j.flow.FlowException;
import dev.orchestra4j.flow.GraphTask;
import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.flow.TaskGraph;
import dev.orchestra4j.flow.WorkflowType;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads a run-graph request into a {@link TaskGraph}. Shape errors (a missing or mistyped field, an unknown {@code
 * workflow_type}) are a 422 in FastAPI's format; graph errors found by the task graph (no task, duplicate ids, unknown
 * dependencies, cycles, reserved names, unknown roles) are a 400. Either way every problem is listed.
 */
final class WorkflowParser {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private WorkflowParser() {}

    /** The request as a task graph (422 listing every malformed field). */
    static TaskGraph parse(ObjectNode body) {
        List<ObjectNode> shape = new ArrayList<>();
        WorkflowType type = type(body.path("workflow_type"), shape);
        Optional<String> id = workflowId(body.path("workflow_id"), shape);
        JsonNode metadata = body.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
            shape.add(ApiException.problem("body.metadata", "dict_type", "Input should be a valid dictionary"));
        }
        List<GraphTask> tasks = tasks(body.path("tasks"), shape);
        if (!shape.isEmpty()) {
            throw ApiException.problems(422, shape);
        }
        TaskGraph.Builder graph = TaskGraph.builder(type)
                .workflowId(id.orElseGet(() -> UUID.randomUUID().toString()));
        tasks.forEach(graph::task);
        if (metadata.isObject()) {
            Map<String, Object> meta = Json.toMap(metadata);
            graph.metadata(meta);
            graph.runDependentsOnFailure(Boolean.TRUE.equals(meta.get("run_dependents_on_failure")));
        }
        return graph.build();
    }

    /** Compiles a graph against {@code roles}; its problems (no task, duplicates, cycles, roles, …) are a 400. */
    static CompiledFlow compile(TaskGraph graph, RoleRegistry roles) {
        try {
            return graph.compile(roles);
        } catch (FlowException e) {
            List<ObjectNode> problems = new ArrayList<>();
            for (String p : e.problems()) {
                problems.add(ApiException.problem("body.tasks", "value_error", p));
            }
            throw ApiException.problems(
                    400,
                    problems.isEmpty()
                            ? List.of(ApiException.problem("body", "value_error", e.getMessage()))
                            : problems);
        }
    }

    private static WorkflowType type(JsonNode node, List<ObjectNode> problems) {
        if (node.isMissingNode() || node.isNull()) {
            problems.add(ApiException.problem("body.workflow_type", "missing", "Field required"));
            return WorkflowType.SEQUENTIAL;
        }
        for (WorkflowType t : WorkflowType.values()) {
            if (node.isTextual() && t.wireName().equals(node.asText())) {
                return t;
            }
        }
        problems.add(ApiException.problem(
                "body.workflow_type", "enum", "Input should be 'sequential', 'parallel' or 'graph', was " + node));
        return WorkflowType.SEQUENTIAL;
    }

    private static Optional<String> workflowId(JsonNode node, List<ObjectNode> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()
                || !ID.matcher(node.asText()).matches()
                || node.asText().matches("\\.+")) {
            problems.add(ApiException.problem(
                    "body.workflow_id",
                    "string_pattern_mismatch",
                    "workflow_id must be 1-128 characters of A-Z a-z 0-9 . _ -"));
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    private static List<GraphTask> tasks(JsonNode node, List<ObjectNode> problems) {
        List<GraphTask> tasks = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            problems.add(ApiException.problem("body.tasks", "missing", "Field required"));
            return tasks;
        }
        if (!node.isArray()) {
            problems.add(ApiException.problem("body.tasks", "list_type", "Input should be a valid list"));
            return tasks;
        }
        for (int i = 0; i < node.size(); i++) {
            task(node.get(i), "body.tasks." + i, problems).ifPresent(tasks::add);
        }
        return tasks;
    }

    private static Optional<GraphTask> task(JsonNode node, String at, List<ObjectNode> problems) {
        if (!node.isObject()) {
            problems.add(ApiException.problem(at, "model_type", "Input should be a valid AgentTask object"));
            return Optional.empty();
        }
        int before = problems.size();
        String agentId = text(node, at, "agent_id", problems);
        String role = text(node, at, "agent_role", problems);
        JsonNode input = node.path("input_data");
        if (input.isMissingNode() || input.isNull()) {
            problems.add(ApiException.problem(at + ".input_data", "missing", "Field required"));
        } else if (!input.isObject()) {
            problems.add(ApiException.problem(at + ".input_data", "dict_type", "Input should be a valid dictionary"));
        }
        List<String> deps = dependsOn(node.path("depends_on"), at, problems);
        JsonNode cont = node.path("continue_on_failure");
        if (problems.size() > before) {
            return Optional.empty();
        }
        Optional<Boolean> continueOnFailure = cont.isBoolean() ? Optional.of(cont.asBoolean()) : Optional.empty();
        return Optional.of(new GraphTask(agentId, role, Json.toMap(input), deps, continueOnFailure));
    }

    private static List<String> dependsOn(JsonNode dependsOn, String at, List<ObjectNode> problems) {
        List<String> deps = new ArrayList<>();
        if (dependsOn.isMissingNode() || dependsOn.isNull()) {
            return deps;
        }
        if (!dependsOn.isArray()) {
            problems.add(ApiException.problem(at + ".depends_on", "list_type", "Input should be a valid list"));
            return deps;
        }
        for (int j = 0; j < dependsOn.size(); j++) {
            if (dependsOn.get(j).isTextual()) {
                deps.add(dependsOn.get(j).asText());
            } else {
                problems.add(
                        ApiException.problem(at + ".depends_on." + j, "string_type", "Input should be a valid string"));
            }
        }
        return deps;
    }

    private static String text(JsonNode node, String at, String field, List<ObjectNode> problems) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            problems.add(ApiException.problem(at + "." + field, "missing", "Field required"));
            return "";
        }
        if (!value.isTextual()) {
            problems.add(ApiException.problem(at + "." + field, "string_type", "Input should be a valid string"));
            return "";
        }
        return value.asText();
    }
}
