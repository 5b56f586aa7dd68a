package dev.orchestra4j.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flows paused mid-way resume in a fresh instance over the file backend with outputs, counters and context. */
final class FlowDurabilityTest {

    record Num(int value) {}

    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicReference<OrchestraInstance> current = new AtomicReference<>();

    private int count(String step) {
        return calls.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
    }

    private Pipeline pipeline() {
        Step<Num, Num> addOne = Step.of("add_one", Num.class, Num.class, (in, p) -> {
            count("add_one");
            return new Num(in.value() + 1);
        });
        Step<Num, Num> inc = Step.of("inc", Num.class, Num.class, (in, p) -> {
            if (count("inc") == 2) {
                current.get().pauseSession(p.performanceId(), "mid-cycle");
            }
            return new Num(in.value() + 1);
        });
        Step<Num, Num> useEarlier = Step.of("use_earlier", Num.class, Num.class, (in, p) -> {
            count("use_earlier");
            return new Num(in.value() * 100
                    + p.output("add_one", Num.class).orElseThrow().value());
        });
        return Pipeline.builder("durable")
                .pipe(addOne)
                .cycle((Num d) -> d.value() < 5, inc)
                .pipe(useEarlier)
                .seal();
    }

    private StateManager storage() {
        return new StateManager(new FileStorageBackend(dir));
    }

    @Test
    void pipeline_pausedInsideACycle_resumesInAFreshInstanceWithOutputsAndCounters() {
        Pipeline first = pipeline();
        OrchestraInstance one =
                first.compile().instanceBuilder().stateManager(storage()).build();
        current.set(one);
        OrchestraResult paused = one.execute(Pipeline.task(new Num(1)), Map.of("session_id", "pipe-1"), 500);
        assertThat(paused.status()).isEqualTo(RunStatus.PAUSED);

        Pipeline again = pipeline(); // as a new JVM would build it
        OrchestraInstance two =
                again.compile().instanceBuilder().stateManager(storage()).build();
        current.set(two);
        PipelineResult<Num> resumed = again.result(two.resumeSession("pipe-1", Map.of()));

        assertThat(resumed.output()).isEqualTo(new Num(502)); // 1+1=2, cycle to 5, 5*100+2
        assertThat(calls.get("add_one")).hasValue(1);
        assertThat(calls.get("inc")).hasValue(3);
        assertThat(resumed.performance().history())
                .extracting(Performance.Entry::stepId)
                .containsExactly("add_one", "inc", "inc", "inc", "use_earlier");
    }

    @Test
    void workflow_pausedAfterStep2_resumesAtStep3WithTheContext() {
        List<String> requests = new CopyOnWriteArrayList<>();
        AgentRegistry agents = AgentRegistry.create().register("bot", r -> {
            requests.add(r.agent() + ": " + r.input());
            if (r.agent().equals("two")) {
                current.get().pauseSession(r.sessionId(), "after two");
            }
            return AgentResponse.finish("answer of " + r.agent());
        });
        WorkflowDefinition d = WorkflowDefinition.builder("durable")
                .step(TaskStep.of("one", "bot", "topic {{ input.topic }}"))
                .step(TaskStep.of("two", "bot", "two"))
                .step(TaskStep.of("three", "bot", "saw {{ steps.one.result }} about {{ input.topic }}"))
                .build();
        CompiledFlow flow = d.compile(agents);
        OrchestraInstance one = flow.instanceBuilder().stateManager(storage()).build();
        current.set(one);
        WorkflowRun paused = Workflows.result(
                d, one.execute(Map.of("topic", "owls"), Map.of("session_id", "wf-1"), flow.maxSteps()));
        assertThat(paused.status()).isEqualTo(WorkflowRun.Status.PAUSED);
        assertThat(paused.step("two", "result")).hasValue("answer of two");

        WorkflowDefinition reloaded = WorkflowDefinition.fromJson(d.toJson());
        OrchestraInstance two = reloaded.compile(agents)
                .instanceBuilder()
                .stateManager(storage())
                .build();
        current.set(two);
        WorkflowRun done = Workflows.result(reloaded, two.resumeSession("wf-1", Map.of()));

        assertThat(done.status()).isEqualTo(WorkflowRun.Status.COMPLETED);
        assertThat(requests).containsExactly("one: topic owls", "two: two", "three: saw answer of one about owls");
        assertThat(done.step("one", "result")).hasValue("answer of one");
    }

    @Test
    void workflow_pausedInsideALoop_keepsItsIterationCounter() {
        AtomicInteger n = new AtomicInteger();
        AgentRegistry agents = AgentRegistry.create().register("bot", r -> {
            if (n.incrementAndGet() == 2) {
                current.get().pauseSession(r.sessionId(), "mid-loop");
            }
            return AgentResponse.finish("v" + n.get());
        });
        WorkflowDefinition d = WorkflowDefinition.builder("loop")
                .step(LoopStep.of("loop", TaskStep.of("body", "bot", "i={{ steps.loop.iteration }}"), "false", 4))
                .build();
        CompiledFlow flow = d.compile(agents);
        OrchestraInstance one = flow.instanceBuilder().stateManager(storage()).build();
        current.set(one);
        assertThat(one.execute(Map.of(), Map.of("session_id", "loop-1"), flow.maxSteps())
                        .status())
                .isEqualTo(RunStatus.PAUSED);

        OrchestraInstance two =
                d.compile(agents).instanceBuilder().stateManager(storage()).build();
        current.set(two);
        WorkflowRun done = Workflows.result(d, two.resumeSession("loop-1", Map.of()));

        assertThat(done.step("loop", "total_iterations")).hasValue(4);
        assertThat(n).hasValue(4);
        assertThat(done.result()).hasValue("v4");
    }

    @Test
    void taskGraph_pausedMidway_resumesWithEarlierResults() {
        AtomicReference<String> session = new AtomicReference<>();
        RoleRegistry roles = RoleRegistry.create().defaultAgent(r -> {
            count(r.agent());
            if (r.agent().equals("1")) {
                session.set(r.sessionId());
                current.get().pauseSession(r.sessionId(), "after 1");
            }
            return AgentResponse.finish("out " + r.agent());
        });
        TaskGraph graph = TaskGraph.builder(WorkflowType.SEQUENTIAL)
                .workflowId("graph-1")
                .task("1", "backend", Map.of())
                .task("2", "backend", Map.of())
                .build();
        CompiledFlow flow = graph.compile(roles);
        OrchestraInstance one = flow.instanceBuilder().stateManager(storage()).build();
        current.set(one);
        assertThat(one.execute(graph.task(), Map.of("session_id", "graph-1"), flow.maxSteps())
                        .status())
                .isEqualTo(RunStatus.PAUSED);

        OrchestraInstance two =
                graph.compile(roles).instanceBuilder().stateManager(storage()).build();
        current.set(two);
        TaskGraphResult done = graph.result(two.resumeSession("graph-1", Map.of()), java.time.Instant.now());

        assertThat(done.status()).isEqualTo(TaskGraphResult.Status.COMPLETED);
        assertThat(calls.get("1")).hasValue(1);
        assertThat(done.task("2").orElseThrow().result().orElseThrow().get("context"))
                .isEqualTo(done.task("1").orElseThrow().result().orElseThrow());
    }
}
