package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

final class OrchestraTest {

    private final AgentRegistry agents = AgentRegistry.create();

    private OrchestraResult run(Object task, Topology topology) {
        return Orchestra.run(task, topology, RunOptions.builder().agents(agents).build());
    }

    @Test
    void run_linearHandOff_isOneBranchEndingWithTheLastAgentsAnswer() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> C")
                .edge("C -> End")
                .build();
        agents.register("A", r -> AgentResponse.handOff("B", r.input() + "a"))
                .register("B", r -> AgentResponse.handOff("C", r.input() + "b"))
                .register("C", r -> AgentResponse.finish(r.input() + "c"));

        OrchestraResult result = run("x", t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("xabc");
        assertThat(result.finalResponses()).containsExactly("xabc");
        assertThat(result.branchResults()).hasSize(1);
        assertThat(result.branchResults().getFirst().agents()).containsExactly("A", "B", "C");
        assertThat(result.branchResults().getFirst().output()).isEqualTo("xabc");
        assertThat(result.totalSteps()).isEqualTo(3);
        assertThat(result.executionTrace()).extracting(TraceStep::agent).containsExactly("A", "B", "C");
    }

    @Test
    void run_sequentialHubAndSpoke_resumesHubWithEachResultInOrder() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> S1")
                .edge("Hub <-> S2")
                .edge("Hub -> End")
                .build();
        List<Object> hubInputs = new CopyOnWriteArrayList<>();
        agents.register("Hub", r -> {
                    hubInputs.add(r.input());
                    return switch (hubInputs.size()) {
                        case 1 -> AgentResponse.handOff("S1", "q1");
                        case 2 -> AgentResponse.handOff("S2", "q2");
                        default -> AgentResponse.finish("done:" + r.input());
                    };
                })
                .register("S1", r -> AgentResponse.handOff("Hub", "r1"))
                .register("S2", r -> AgentResponse.handOff("Hub", "r2"));

        OrchestraResult result = run("task", t);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(hubInputs).containsExactly("task", "r1", "r2");
        assertThat(result.finalResponse()).isEqualTo("done:r2");
        assertThat(result.agentInvocationCount("Hub")).isEqualTo(3);
    }

    @Test
    void run_hubStopsEarly_remainingSpokesNeverRun() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> S1")
                .edge("Hub <-> S2")
                .edge("Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.from() == null || r.from().equals("Start")
                                ? AgentResponse.handOff("S1", "q1")
                                : AgentResponse.finish("enough"))
                .register("S1", r -> AgentResponse.handOff("Hub", "r1"))
                .register("S2", r -> AgentResponse.handOff("Hub", "r2"));

        OrchestraResult result = run("task", t);

        assertThat(result.finalResponse()).isEqualTo("enough");
        assertThat(result.wasAgentInvoked("S2")).isFalse();
    }

    @Test
    void run_parallelFanOut_runsConcurrentlyAndResumesHubOnceWithLabelledResults() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("Hub <-> W3")
                .edge("Hub -> End")
                .build();
        CountDownLatch allStarted = new CountDownLatch(3);
        List<Object> hubInputs = new CopyOnWriteArrayList<>();
        Agent worker = r -> {
            allStarted.countDown();
            allStarted.await();
            Thread.sleep(200);
            return AgentResponse.finish("from " + r.agent());
        };
        agents.register("W1", worker)
                .register("W2", worker)
                .register("W3", worker)
                .register("Hub", r -> {
                    hubInputs.add(r.input());
                    return hubInputs.size() == 1
                            ? AgentResponse.parallel(Map.of("W3", "a", "W1", "b", "W2", "c").entrySet().stream()
                                    .sorted(Map.Entry.comparingByValue())
                                    .map(e -> Invocation.of(e.getKey(), e.getValue()))
                                    .toList())
                            : AgentResponse.finish(
                                    r.arrivals().stream().map(Arrival::agent).toList());
                });

        long start = System.nanoTime();
        OrchestraResult result = run("go", t);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(took).isLessThan(Duration.ofMillis(550));
        assertThat(hubInputs).hasSize(2);
        assertThat(result.finalResponse()).isEqualTo(List.of("W3", "W1", "W2"));
        @SuppressWarnings("unchecked")
        List<Arrival> aggregate = (List<Arrival>) hubInputs.get(1);
        assertThat(aggregate).extracting(Arrival::value).containsExactly("from W3", "from W1", "from W2");
    }

    @Test
    void run_strictPolicyChildFails_runFailsNamingChildAndParentIsNotResumed() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("Hub -> End")
                .build();
        List<Object> hubInputs = Collections.synchronizedList(new ArrayList<>());
        agents.register("Hub", r -> {
                    hubInputs.add(r.input());
                    return AgentResponse.parallel(Invocation.of("W1", "x"), Invocation.of("W2", "y"));
                })
                .register("W1", r -> AgentResponse.finish("ok"))
                .register("W2", r -> {
                    throw new IllegalStateException("disk on fire");
                });

        OrchestraResult result = run("go", t);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("W2").contains("disk on fire"));
        assertThat(hubInputs).hasSize(1);
    }

    @Test
    void run_parallelSteps_eachEventCarriesItsOwnStepNumber() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("W1", "x"), Invocation.of("W2", "y"))
                                : AgentResponse.finish("joined"))
                .register("W1", r -> AgentResponse.finish("1"))
                .register("W2", r -> AgentResponse.finish("2"));
        List<Integer> steps = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);

        Orchestra.run(
                "go",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .listener(e -> {
                            if (e instanceof dev.orchestra4j.core.event.OrchestraEvent.StepCompleted c) {
                                steps.add(c.step());
                            } else if (e instanceof dev.orchestra4j.core.event.OrchestraEvent.RunCompleted) {
                                done.countDown();
                            }
                        })
                        .build());

        assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(steps).containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void run_awaitListeners_returnsOnlyAfterTheListenerSawTheLastEvent() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        agents.register("A", r -> AgentResponse.finish("x"));
        List<String> seen = new CopyOnWriteArrayList<>();

        Orchestra.run(
                "go",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .awaitListeners(true)
                        .listener(e -> seen.add(e.getClass().getSimpleName()))
                        .build());

        assertThat(seen).last().isEqualTo("RunCompleted");
    }

    @Test
    void run_agentReturnsRetryableFail_isRetriedUpToMaxRetriesAndKeepsNoMemoryFromFailedAttempts() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        List<Integer> memorySizes = new CopyOnWriteArrayList<>();
        agents.register("A", r -> {
            memorySizes.add(r.memory().size());
            r.memory().add(dev.langchain4j.data.message.UserMessage.from("attempt " + r.attempt()));
            return AgentResponse.fail("service down", ErrorCategory.UNAVAILABLE);
        });

        OrchestraResult result = Orchestra.run(
                "go",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .maxSteps(12)
                        .errorConfig(ErrorHandlingConfig.builder()
                                .maxRetries(2)
                                .baseDelay(java.time.Duration.ZERO)
                                .build())
                        .build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("attempt 3").contains("service down"));
        assertThat(memorySizes).containsExactly(0, 0, 0);
    }

    @Test
    void run_stepInterceptors_wrapEveryAgentCallOnItsThreadFirstRegisteredOutermost() {
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();
        List<String> calls = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Thread> interceptorThread =
                new java.util.concurrent.atomic.AtomicReference<>();
        agents.register("A", r -> {
            calls.add("agent on " + (Thread.currentThread() == interceptorThread.get() ? "its thread" : "another"));
            return AgentResponse.finish("x");
        });

        OrchestraResult result = Orchestra.run(
                "go",
                t,
                RunOptions.builder()
                        .agents(agents)
                        .stepInterceptor((request, step) -> {
                            interceptorThread.set(Thread.currentThread());
                            calls.add("outer " + request.agent());
                            AgentResponse response = step.proceed();
                            calls.add("outer done");
                            return response;
                        })
                        .stepInterceptor((request, step) -> {
                            calls.add("inner");
                            return step.proceed();
                        })
                        .build());

        assertThat(result.success()).isTrue();
        assertThat(calls).containsExactly("outer A", "inner", "agent on its thread", "outer done");
    }

    @Test
    void run_missingAgent_failsBeforeAnythingRuns() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        agents.register("A", r -> AgentResponse.handOff("B", "x"));

        assertThatThrownBy(() -> run("x", t)).isInstanceOf(AgentException.class).hasMessageContaining("'B'");
    }

    @Test
    void run_callerInterrupted_cancelsTheSessionAndInterruptsItsAgent() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch agentInterrupted = new CountDownLatch(1);
        agents.register("Slow", r -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                agentInterrupted.countDown();
                throw e;
            }
            return AgentResponse.finish("never");
        });
        Topology t =
                Topology.builder().edge("Start -> Slow").edge("Slow -> End").build();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                run("task", t);
            } catch (OrchestraException e) {
                thrown.add(e);
            }
        });
        assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        caller.interrupt();
        caller.join(10_000);

        assertThat(thrown).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("cancelled"));
        assertThat(agentInterrupted.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("the abandoned run's agent is stopped, not left running unseen")
                .isTrue();
    }

    @Test
    void run_callerInterruptedDuringAFork_cancelsTheSessionAndInterruptsEveryChild() throws Exception {
        // the caller hands the driving role to a virtual thread before it starts the children: its interrupt still
        // cancels the session
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        agents.register(
                "Hub",
                r -> r.input() instanceof List<?>
                        ? AgentResponse.finish("never")
                        : AgentResponse.parallel(List.of(Invocation.of("Worker", 1), Invocation.of("Worker", 2))));
        agents.register("Worker", r -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return AgentResponse.finish("never");
        });
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Worker")
                .edge("Hub -> End")
                .build();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                run("task", t);
            } catch (OrchestraException e) {
                thrown.add(e);
            }
        });
        assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        caller.interrupt();
        caller.join(10_000);

        assertThat(thrown).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("cancelled"));
        assertThat(interrupted.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("both children are stopped")
                .isTrue();
    }
}
