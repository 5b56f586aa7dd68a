package dev.orchestra4j.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class TaskGraphTest {

    private static final String README_BODY = """
            {"workflow_type": "sequential",
             "tasks": [
               {"agent_id": "frontend-agent", "agent_role": "frontend", "input_data": {"task": "Create login form"}},
               {"agent_id": "backend-agent", "agent_role": "backend", "input_data": {"task": "Create auth API"}}
             ]}
            """;

    private final Map<String, Object> seen = new ConcurrentHashMap<>();

    /** Echoes its input_data and remembers the context it got. */
    private RoleRegistry echoRoles() {
        return RoleRegistry.create().defaultAgent(request -> {
            Map<?, ?> input = (Map<?, ?>) request.input();
            seen.put(request.agent(), input.get("context") == null ? "null" : input.get("context"));
            return AgentResponse.finish(Map.of("done", input.get("agent_id")));
        });
    }

    @Test
    void fromJson_readmeBody_runsSequentiallyWithWireShape() {
        TaskGraph graph = TaskGraph.fromJson(README_BODY);

        TaskGraphResult result = graph.run(echoRoles());

        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.COMPLETED);
        Map<String, Object> wire = result.toWire();
        assertThat(wire)
                .containsKeys(
                        "workflow_id",
                        "workflow_type",
                        "status",
                        "created_at",
                        "started_at",
                        "completed_at",
                        "tasks",
                        "metadata");
        assertThat(wire.get("workflow_type")).isEqualTo("sequential");
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) wire.get("tasks")).getFirst();
        assertThat(first.get("task_id")).isEqualTo(graph.workflowId() + "-task-0");
        assertThat(first)
                .containsKeys("agent_id", "agent_role", "status", "started_at", "completed_at", "result", "error");
        assertThat(first.get("error")).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> taskResult = (Map<String, Object>) first.get("result");
        assertThat(taskResult).containsOnlyKeys("agent_id", "agent_role", "input", "context", "output");
        assertThat(taskResult.get("output")).isEqualTo(Map.of("done", "frontend-agent"));
    }

    @Test
    void fromJson_clientWorkflowId_isKeptAndTaskIdsFollowIt() {
        TaskGraph graph = TaskGraph.fromJson(
                README_BODY.replace("{\"workflow_type\"", "{\"workflow_id\": \"wf-7\", \"workflow_type\""));

        assertThat(graph.workflowId()).isEqualTo("wf-7");
        assertThat(graph.pending(Instant.EPOCH).tasks().get(1).taskId()).isEqualTo("wf-7-task-1");
        assertThat(graph.pending(Instant.EPOCH).status()).isEqualTo(TaskGraphResult.Status.PENDING);
    }

    @Test
    void fromJson_missingAndMalformedFields_listsEveryProblemWithItsLocation() {
        assertThatThrownBy(() -> TaskGraph.fromJson(
                        "{\"workflow_type\": \"dag\", \"tasks\": [{\"agent_role\": \"qa\"}, {\"agent_id\": 1,"
                                + " \"agent_role\": \"qa\", \"input_data\": {}}]}"))
                .isInstanceOf(FlowException.class)
                .satisfies(e -> assertThat(((FlowException) e).problems())
                        .anyMatch(p -> p.contains("workflow_type") && p.contains("'dag'"))
                        .anyMatch(p -> p.equals("tasks[0].agent_id is required"))
                        .anyMatch(p -> p.equals("tasks[0].input_data is required"))
                        .anyMatch(p -> p.equals("tasks[1].agent_id must be a string")));
        assertThatThrownBy(() -> TaskGraph.fromJson("{\"workflow_type\": \"graph\"}"))
                .hasMessageContaining("tasks is required");
    }

    @Test
    void toJson_roundTrips() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.GRAPH)
                .workflowId("g1")
                .task("1", "backend", Map.of("x", 1))
                .task("2", "qa", Map.of(), "1")
                .metadata("pattern", "p")
                .build();

        TaskGraph back = TaskGraph.fromJson(graph.toJson());

        assertThat(back.toMap()).isEqualTo(graph.toMap());
        assertThat(back.tasks().get(1).dependsOn()).containsExactly("1");
    }

    @Test
    void sequential_eachTaskGetsThePreviousResultAsContext() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.SEQUENTIAL)
                .task("t1", "backend", Map.of("task", "a"))
                .task("t2", "backend", Map.of("task", "b"))
                .task("t3", "backend", Map.of("task", "c"))
                .build();

        TaskGraphResult result = graph.run(echoRoles());

        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.COMPLETED);
        assertThat(seen.get("t1")).isEqualTo("null");
        assertThat(seen.get("t2"))
                .isEqualTo(result.task("t1").orElseThrow().result().orElseThrow());
        assertThat(seen.get("t3"))
                .isEqualTo(result.task("t2").orElseThrow().result().orElseThrow());
        for (TaskStatus t : result.tasks()) {
            assertThat(t.state()).isEqualTo(TaskStatus.State.COMPLETED);
            assertThat(t.startedAt().orElseThrow())
                    .isBeforeOrEqualTo(t.completedAt().orElseThrow());
        }
        assertThat(result.completedAt()).isPresent();
    }

    @Test
    void sequential_backendFails_laterTasksStayPendingAndRunIsPartial() {
        RoleRegistry roles = failing("t2");
        TaskGraph graph = TaskGraph.builder(WorkflowType.SEQUENTIAL)
                .task("t1", "backend", Map.of())
                .task("t2", "backend", Map.of())
                .task("t3", "backend", Map.of())
                .build();

        TaskGraphResult result = graph.run(roles);

        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.PARTIAL);
        assertThat(result.task("t2").orElseThrow().error()).hasValue("boom in t2");
        assertThat(result.task("t3").orElseThrow().state()).isEqualTo(TaskStatus.State.PENDING);
        assertThat(seen).doesNotContainKey("t3");
    }

    @Test
    void sequential_qaFails_runGoesOn() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.SEQUENTIAL)
                .task("t1", "backend", Map.of())
                .task("t2", "qa", Map.of())
                .task("t3", "backend", Map.of())
                .build();

        TaskGraphResult result = graph.run(failing("t2"));

        assertThat(result.task("t3").orElseThrow().state()).isEqualTo(TaskStatus.State.COMPLETED);
        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.PARTIAL);
    }

    private RoleRegistry failing(String... ids) {
        List<String> failing = List.of(ids);
        return RoleRegistry.create().defaultAgent(request -> {
            seen.put(request.agent(), request.input());
            if (failing.contains(request.agent())) {
                throw new IllegalStateException("boom in " + request.agent());
            }
            return AgentResponse.finish("ok " + request.agent());
        });
    }

    @Test
    void parallel_tasksRunAtTheSameTime() {
        CountDownLatch allStarted = new CountDownLatch(3);
        RoleRegistry roles = RoleRegistry.create().defaultAgent(request -> {
            allStarted.countDown();
            boolean together = allStarted.await(10, TimeUnit.SECONDS);
            return AgentResponse.finish(together ? "together" : "alone");
        });
        TaskGraph graph = TaskGraph.builder(WorkflowType.PARALLEL)
                .task("a", "qa", Map.of())
                .task("b", "qa", Map.of())
                .task("c", "qa", Map.of())
                .build();

        TaskGraphResult result = graph.run(roles);

        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.COMPLETED);
        assertThat(result.tasks())
                .allSatisfy(
                        t -> assertThat(t.result().orElseThrow().get("output")).isEqualTo("together"));
        assertThat(result.tasks())
                .allSatisfy(
                        t -> assertThat(t.result().orElseThrow().get("context")).isNull());
    }

    @Test
    void parallel_oneFails_partial_allFail_failed() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.PARALLEL)
                .task("a", "qa", Map.of())
                .task("b", "qa", Map.of())
                .build();

        assertThat(graph.run(failing("a")).status()).isEqualTo(TaskGraphResult.Status.PARTIAL);
        assertThat(graph.run(failing("a", "b")).status()).isEqualTo(TaskGraphResult.Status.FAILED);
    }

    @Test
    void graph_joinWaitsForAllDependenciesAndSeesTheirResults() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.GRAPH)
                .task("1", "backend", Map.of())
                .task("2", "backend", Map.of())
                .task("3", "backend", Map.of(), "1", "2")
                .task("4", "backend", Map.of(), "3")
                .build();

        TaskGraphResult result = graph.run(echoRoles());

        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.COMPLETED);
        TaskStatus three = result.task("3").orElseThrow();
        Instant oneDone = result.task("1").orElseThrow().completedAt().orElseThrow();
        Instant twoDone = result.task("2").orElseThrow().completedAt().orElseThrow();
        assertThat(three.startedAt().orElseThrow()).isAfterOrEqualTo(oneDone).isAfterOrEqualTo(twoDone);
        assertThat(result.task("4").orElseThrow().startedAt().orElseThrow())
                .isAfterOrEqualTo(three.completedAt().orElseThrow());
        assertThat(keys(seen.get("3"))).containsExactlyInAnyOrder("1", "2");
        assertThat(result.orchestraResult().orElseThrow().agentInvocationCount("3"))
                .isEqualTo(1);
        assertThat(graph.compile(echoRoles()).topology().analysis().rendezvousNodes())
                .containsExactly("3");
    }

    @Test
    void compile_sameShape_sharesOneTopology_anotherShapeGetsItsOwn() {
        TaskGraph first = TaskGraph.builder(WorkflowType.GRAPH)
                .task("1", "backend", Map.of("x", 1))
                .task("2", "qa", Map.of(), "1")
                .build();
        TaskGraph sameShape = TaskGraph.builder(WorkflowType.GRAPH)
                .task("1", "frontend", Map.of("x", 2))
                .task("2", "backend", Map.of(), "1")
                .build();
        TaskGraph otherDeps = TaskGraph.builder(WorkflowType.GRAPH)
                .task("1", "backend", Map.of())
                .task("2", "qa", Map.of())
                .build();
        TaskGraph otherType = TaskGraph.builder(WorkflowType.SEQUENTIAL)
                .task("1", "backend", Map.of())
                .task("2", "qa", Map.of())
                .build();

        var topology = first.compile(echoRoles()).topology();

        assertThat(sameShape.compile(echoRoles()).topology()).isSameAs(topology);
        assertThat(otherDeps.compile(echoRoles()).topology().digest()).isNotEqualTo(topology.digest());
        assertThat(otherType.compile(echoRoles()).topology().digest())
                .isNotEqualTo(topology.digest())
                .isNotEqualTo(otherDeps.compile(echoRoles()).topology().digest());
        assertThat(sameShape.run(echoRoles()).status()).isEqualTo(TaskGraphResult.Status.COMPLETED);
    }

    @Test
    void graph_fanOutAndJoin_everyTaskRunsOnce() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.GRAPH)
                .task("root", "backend", Map.of())
                .task("left", "backend", Map.of(), "root")
                .task("right", "backend", Map.of(), "root")
                .task("join", "backend", Map.of(), "left", "right")
                .task("side", "backend", Map.of(), "root")
                .build();

        TaskGraphResult result = graph.run(echoRoles());

        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.COMPLETED);
        for (GraphTask t : graph.tasks()) {
            assertThat(result.orchestraResult().orElseThrow().agentInvocationCount(t.agentId()))
                    .as(t.agentId())
                    .isEqualTo(1);
        }
        assertThat(keys(seen.get("join"))).containsExactlyInAnyOrder("left", "right");
    }

    @Test
    void graph_failedDependency_dependantFailsWithReasonAndNeverRuns() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.GRAPH)
                .task("1", "backend", Map.of())
                .task("2", "backend", Map.of())
                .task("3", "backend", Map.of(), "1", "2")
                .build();

        TaskGraphResult result = graph.run(failing("1"));

        TaskStatus three = result.task("3").orElseThrow();
        assertThat(three.state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(three.error()).hasValue("dependency 1 failed");
        assertThat(three.startedAt()).isEmpty();
        assertThat(three.completedAt()).isPresent();
        assertThat(seen).doesNotContainKey("3");
        assertThat(result.status()).isEqualTo(TaskGraphResult.Status.PARTIAL);
        assertThat(result.tasks()).noneMatch(t -> t.state() == TaskStatus.State.RUNNING);
    }

    @Test
    void graph_runDependentsOnFailure_runsThemWithANullResult() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.GRAPH)
                .task("1", "backend", Map.of())
                .task("2", "backend", Map.of(), "1")
                .runDependentsOnFailure(true)
                .build();

        TaskGraphResult result = graph.run(failing("1"));

        assertThat(result.task("2").orElseThrow().state()).isEqualTo(TaskStatus.State.COMPLETED);
        assertThat(((Map<?, ?>) seen.get("2")).get("context")).isEqualTo(java.util.Collections.singletonMap("1", null));
    }

    @Test
    void validate_reportsEveryProblemAtOnce() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.GRAPH)
                .task("1", "backend", Map.of(), "2")
                .task("2", "backend", Map.of(), "1")
                .task("3", "backend", Map.of(), "ghost")
                .task("3", "backend", Map.of())
                .task("End", "backend", Map.of())
                .build();

        assertThat(graph.validate())
                .anyMatch(p -> p.contains("'ghost'"))
                .anyMatch(p -> p.contains("cycle") && p.contains("'1'") && p.contains("'2'"))
                .anyMatch(p -> p.contains("duplicate agent_id '3'"))
                .anyMatch(p -> p.contains("'End' is a reserved node name"));
        assertThatThrownBy(() -> graph.compile(echoRoles()))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("ghost")
                .hasMessageContaining("cycle");
    }

    @Test
    void validate_emptyTasksAndDependsOnOutsideGraph_areProblems() {
        assertThat(TaskGraph.builder(WorkflowType.PARALLEL).build().validate())
                .containsExactly("tasks is empty: a workflow needs at least one task");
        assertThat(TaskGraph.builder(WorkflowType.SEQUENTIAL)
                        .task("a", "qa", Map.of())
                        .task("b", "qa", Map.of(), "a")
                        .build()
                        .validate())
                .singleElement()
                .asString()
                .contains("only workflow_type 'graph'");
    }

    @Test
    void compile_unknownRoleWithoutDefault_namesIt() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.SEQUENTIAL)
                .task("a", "wizard", Map.of())
                .build();

        assertThatThrownBy(() -> graph.compile(RoleRegistry.create().register("qa", r -> AgentResponse.finish(""))))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("agent_role 'wizard'");
    }

    @Test
    void mockRoles_answerTheSeedsCannedShape() {
        TaskGraphResult result = TaskGraph.fromJson(README_BODY).run(RoleRegistry.mock());

        Map<?, ?> output =
                (Map<?, ?>) result.tasks().getFirst().result().orElseThrow().get("output");
        assertThat(output.get("success")).isEqualTo(true);
        assertThat(output.get("message")).isEqualTo("frontend agent completed successfully");
    }

    private static List<String> keys(Object map) {
        return ((Map<?, ?>) map).keySet().stream().map(String::valueOf).toList();
    }

    @Test
    void validate_workflowIdThatCannotBeASessionId_isAProblem() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.PARALLEL)
                .workflowId("has spaces/and slashes")
                .task("a", "qa", Map.of())
                .build();

        assertThat(graph.validate()).singleElement().asString().contains("workflow_id 'has spaces/and slashes'");
    }

    @Test
    void tracker_hearsEveryTransitionAsItHappens() {
        TaskGraph graph = TaskGraph.builder(WorkflowType.SEQUENTIAL)
                .task("t1", "backend", Map.of())
                .task("t2", "backend", Map.of())
                .task("t3", "backend", Map.of())
                .build();
        TaskGraphTracker tracker = new TaskGraphTracker(graph, Instant.now());
        List<String> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<TaskGraphResult.Status> seenWhileRunning = new java.util.concurrent.CopyOnWriteArrayList<>();
        RoleRegistry roles = RoleRegistry.create().defaultAgent(request -> {
            seenWhileRunning.add(tracker.snapshot().status());
            if (request.agent().equals("t2")) {
                throw new IllegalStateException("t2 broke");
            }
            return AgentResponse.finish("ok");
        });
        TaskGraphListener both = status -> {
            transitions.add(status.agentId() + ":" + status.state().wireName());
            tracker.onTask(status);
        };

        graph.compile(roles, both).run(graph.task());

        assertThat(transitions).containsExactly("t1:running", "t1:completed", "t2:running", "t2:failed", "t3:pending");
        assertThat(seenWhileRunning).containsOnly(TaskGraphResult.Status.RUNNING);
        TaskGraphResult last = tracker.snapshot();
        assertThat(last.task("t1").orElseThrow().startedAt()).isPresent();
        assertThat(last.task("t2").orElseThrow().error()).hasValue("t2 broke");
        assertThat(last.status()).isEqualTo(TaskGraphResult.Status.PARTIAL);
    }
}
