package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fork wider than what the driving thread starts itself: past its first steps, the default executor's steps are
 * started by launcher threads, in chunks. Every child must still run exactly once, deliver in invocation order, and be
 * reached by a cancellation whether or not its thread had started; another executor is always called from the
 * driving thread; an executor that refuses a step fails that step, naming it.
 */
@Timeout(60) // a child lost on its way to a launcher would leave its run waiting for it
final class WideForkTest {

    private static final int WIDTH = 300; // several launcher chunks and a partial one

    private static final Topology FORK = Topology.builder()
            .edge("Start -> Hub")
            .edge("Hub <-> Worker")
            .edge("Hub -> End")
            .build();

    private static List<Invocation> invocations(int width) {
        List<Invocation> invocations = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            invocations.add(Invocation.of("Worker", i));
        }
        return invocations;
    }

    /** A hub that forks {@code width} workers and finishes with what they delivered. */
    private static Agent hub(int width) {
        return r -> r.input() instanceof List<?> arrivals
                ? AgentResponse.finish(arrivals)
                : AgentResponse.parallel(invocations(width));
    }

    @Test
    void everyChildOfAWideForkRunsOnceAndDeliversInInvocationOrder() {
        Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        AgentRegistry agents = AgentRegistry.create()
                .register("Hub", hub(WIDTH))
                .register("Worker", r -> {
                    int i = (Integer) r.input();
                    calls.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
                    return AgentResponse.finish("w" + i);
                });

        OrchestraResult result = Orchestra.run(
                "go",
                FORK,
                RunOptions.builder().agents(agents).maxSteps(WIDTH + 3).build());

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.totalSteps()).isEqualTo(WIDTH + 2);
        assertThat(calls).hasSize(WIDTH);
        assertThat(calls.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < WIDTH; i++) {
            expected.add("w" + i);
        }
        assertThat((List<?>) result.finalResponse())
                .extracting(arrival -> ((Arrival) arrival).value())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void cancellingAWideForkReachesStartedAndNotYetStartedChildren() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger returned = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        AgentRegistry agents = AgentRegistry.create()
                .register("Hub", hub(WIDTH))
                .register("Worker", r -> {
                    started.incrementAndGet();
                    try {
                        first.countDown();
                        new CountDownLatch(1).await(); // until interrupted
                        return AgentResponse.finish("never");
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        throw e;
                    } finally {
                        returned.incrementAndGet();
                    }
                });
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(FORK)
                .agents(agents)
                .maxSteps(WIDTH + 3)
                .build();
        SessionHandle handle = instance.start("go", Map.of());
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();

        instance.cancelSession(handle.id()); // launchers may still be starting the rest

        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (returned.get() < started.get() || Orchestra.abandonedStepsRunning("Worker") > 0) {
            assertThat(System.nanoTime())
                    .as(
                            "a worker still runs after the cancellation: %d started, %d returned, %d counted as"
                                    + " abandoned",
                            started.get(), returned.get(), Orchestra.abandonedStepsRunning("Worker"))
                    .isLessThan(until);
            Thread.onSpinWait();
            Thread.yield();
        }
        assertThat(interrupted.get()).isEqualTo(started.get()); // none ran on past the cancellation
        instance.close();
    }

    @Test
    void anotherExecutorIsCalledFromTheDrivingThreadForEveryStep() {
        Set<Thread> submitters = ConcurrentHashMap.newKeySet();
        AtomicInteger submitted = new AtomicInteger();
        Executor executor = step -> {
            submitters.add(Thread.currentThread());
            submitted.incrementAndGet();
            Thread.startVirtualThread(step);
        };
        AgentRegistry agents = AgentRegistry.create()
                .register("Hub", hub(WIDTH))
                .register("Worker", r -> AgentResponse.finish(r.input()));

        OrchestraResult result = Orchestra.run(
                "go",
                FORK,
                RunOptions.builder()
                        .agents(agents)
                        .maxSteps(WIDTH + 3)
                        .stepExecutor(executor)
                        .build());

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(submitted.get()).isEqualTo(WIDTH);
        assertThat(submitters).hasSize(1); // the driver's: no launcher thread calls a user's executor
    }

    @Test
    void aStepTheExecutorRefusesFailsNamingTheAgentAndTheRefusal() {
        List<String> refused = new CopyOnWriteArrayList<>();
        Executor full = step -> {
            refused.add("step");
            throw new RejectedExecutionException("pool full");
        };
        AgentRegistry agents =
                AgentRegistry.create().register("Hub", hub(2)).register("Worker", r -> AgentResponse.finish(r.input()));

        OrchestraResult result = Orchestra.run(
                "go",
                FORK,
                RunOptions.builder()
                        .agents(agents)
                        .stepExecutor(full)
                        .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                        .build());

        assertThat(refused).hasSize(2);
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(error -> assertThat(error)
                .contains("the step executor refused the step of agent 'Worker'")
                .contains("pool full"));
    }
}
