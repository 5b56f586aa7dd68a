package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The blocking {@code Orchestra.run} and {@code OrchestraInstance.execute} drive their session on the caller's thread
 * (no thread hand-off per run), yet a step stuck on that thread never stalls the session (SPEC §4.1).
 */
final class CallerDriveTest {

    private final AgentRegistry agents = AgentRegistry.create();

    @Test
    void run_sequentialSteps_runOnTheCallersThread() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        agents.register("A", r -> {
                    threads.add(Thread.currentThread());
                    return AgentResponse.handOff("B", "a");
                })
                .register("B", r -> {
                    threads.add(Thread.currentThread());
                    return AgentResponse.finish("b");
                });
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();

        OrchestraResult result =
                Orchestra.run("go", t, RunOptions.builder().agents(agents).build());

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(threads).containsExactly(Thread.currentThread(), Thread.currentThread());
    }

    @Test
    void execute_fromAVirtualThread_drivesOnThatThread() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        agents.register("A", r -> {
            threads.add(Thread.currentThread());
            return AgentResponse.finish("a");
        });
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder().edge("Start -> A").edge("A -> End").build())
                .agents(agents)
                .build();
        CompletableFuture<Thread> caller = new CompletableFuture<>();

        Thread.ofVirtual().start(() -> {
            instance.execute("go");
            caller.complete(Thread.currentThread());
        });

        assertThat(caller.get(10, TimeUnit.SECONDS)).isSameAs(threads.getFirst());
    }

    private static void awaitParked(Thread thread) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("the caller never waited").isLessThan(until);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void run_fanOutFromAPlatformThread_theCallerStopsDrivingBeforeItWouldWait() {
        Thread caller = Thread.currentThread();
        List<Thread> hubThreads = new CopyOnWriteArrayList<>();
        List<Boolean> workerOnVirtual = new CopyOnWriteArrayList<>();
        agents.register("Hub", r -> {
                    hubThreads.add(Thread.currentThread());
                    return r.input() instanceof List<?> joined
                            ? AgentResponse.finish(joined.size())
                            : AgentResponse.parallel(List.of(
                                    Invocation.of("Worker", 1),
                                    Invocation.of("Worker", 2),
                                    Invocation.of("Worker", 3)));
                })
                .register("Worker", r -> {
                    workerOnVirtual.add(Thread.currentThread().isVirtual());
                    awaitParked(caller); // the arrivals come only once the caller waits (for them, or for the result)
                    return AgentResponse.finish(r.input());
                });
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Worker")
                .edge("Hub -> End")
                .build();

        OrchestraResult result =
                Orchestra.run("go", t, RunOptions.builder().agents(agents).build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo(3);
        assertThat(workerOnVirtual).containsExactly(true, true, true);
        assertThat(hubThreads).hasSize(2);
        assertThat(hubThreads.get(0)).isSameAs(Thread.currentThread());
        assertThat(hubThreads.get(1).isVirtual())
                .as("a platform caller hands the session to a virtual thread rather than park once per arrival")
                .isTrue();
    }

    @Test
    void run_stepStuckOnTheCaller_theSessionMovesOnAndTheCallerGetsItsResult() throws Exception {
        MutableClock clock = MutableClock.atEpoch();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch endOfTest = new CountDownLatch(1);
        CountDownLatch runCompleted = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Agent stuck = StuckAgents.ignoringInterrupts(started, endOfTest, calls);
        agents.register("Stuck", r -> {
            threads.add(Thread.currentThread());
            return stuck.act(r);
        });
        Topology t =
                Topology.builder().edge("Start -> Stuck").edge("Stuck -> End").build();
        RunOptions options = RunOptions.builder()
                .agents(agents)
                .executionConfig(ExecutionConfig.builder()
                        .stepTimeout(Duration.ofSeconds(30))
                        .build())
                .errorConfig(ErrorHandlingConfig.builder()
                        .maxRetries(1)
                        .baseDelay(Duration.ZERO)
                        .build())
                .clock(clock)
                .listener(e -> {
                    if (e instanceof OrchestraEvent.RunCompleted) {
                        runCompleted.countDown();
                    }
                })
                .build();
        CompletableFuture<OrchestraResult> result = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().start(() -> result.complete(Orchestra.run("go", t, options)));
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(31));

            assertThat(runCompleted.await(20, TimeUnit.SECONDS))
                    .as("the session ended while its caller's thread was still stuck in the agent")
                    .isTrue();
            assertThat(result).isNotDone();
        } finally {
            endOfTest.countDown();
        }
        OrchestraResult done = result.get(20, TimeUnit.SECONDS);
        caller.join(10_000);

        assertThat(done.status()).as(done.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.finalResponse()).isEqualTo("second attempt");
        assertThat(threads.get(0)).isSameAs(caller);
        assertThat(threads.get(1)).isNotSameAs(caller);
        assertThat(calls).hasValue(2);
    }

    @Test
    void execute_sessionDrivenByItsCaller_isForgottenOnceFinished() {
        agents.register("A", r -> AgentResponse.finish(Map.of("k", 1)));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder().edge("Start -> A").edge("A -> End").build())
                .agents(agents)
                .build();

        for (int i = 0; i < 5; i++) {
            assertThat(instance.execute("go").status()).isEqualTo(RunStatus.COMPLETED);
        }

        assertThat(instance.listSessions()).isEmpty();
    }
}
