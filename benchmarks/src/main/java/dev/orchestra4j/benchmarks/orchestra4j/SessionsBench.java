package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * SPEC §9's scale target, in JMH (single shot, milliseconds): {@code sessions} sessions at once, each {@code steps}
 * steps of an agent that sleeps {@value #STEP_MILLIS} ms; the ideal wall time is {@code steps × 50 ms}.
 *
 * <ul>
 *   <li>{@code virtualThreads}: the floor, one virtual thread per session sleeping {@code steps} times;
 *   <li>{@code orchestra4jPerThread}: one virtual thread per session calling the blocking {@code
 *       OrchestraInstance.execute} (a server handling each request on its own virtual thread), which drives its
 *       session itself;
 *   <li>{@code orchestra4jStart}: one thread starts every session with {@code OrchestraInstance.start} and then
 *       awaits them (the creation work is serial on that thread).
 * </ul>
 *
 * One instance serves every operation; after each iteration it must hold no session (finished sessions are not kept,
 * D2), else the benchmark fails.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SessionsBench {

    static final long STEP_MILLIS = 50;

    @Param({"10000"})
    int sessions;

    @Param({"10"})
    int steps;

    private OrchestraInstance instance;

    @Setup
    public void setUp() {
        AgentRegistry agents =
                AgentRegistry.create().register("Ping", sleeping("Pong")).register("Pong", sleeping("Ping"));
        instance = OrchestraInstance.builder()
                .topology(Flows.cycle())
                .agents(agents)
                .maxSteps(steps + 1)
                .build();
    }

    private dev.orchestra4j.core.Agent sleeping(String other) {
        return r -> {
            Thread.sleep(STEP_MILLIS);
            return r.step() >= steps ? AgentResponse.finish("rested") : AgentResponse.handOff(other, "rested");
        };
    }

    @Benchmark
    public int virtualThreads() throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(sessions);
        for (int i = 0; i < sessions; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int s = 0; s < steps; s++) {
                        Thread.sleep(STEP_MILLIS);
                    }
                    done.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return requireAll("virtualThreads", done.get());
    }

    @Benchmark
    public int orchestra4jPerThread() throws InterruptedException {
        AtomicInteger completed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(sessions);
        for (int i = 0; i < sessions; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                if (instance.execute("t", Map.of(), steps + 1).status() == RunStatus.COMPLETED) {
                    completed.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return requireAll("orchestra4jPerThread", completed.get());
    }

    @Benchmark
    public int orchestra4jStart() {
        List<SessionHandle> handles = new ArrayList<>(sessions);
        for (int i = 0; i < sessions; i++) {
            handles.add(instance.start("t", Map.of()));
        }
        int completed = 0;
        for (SessionHandle h : handles) {
            completed += h.await().status() == RunStatus.COMPLETED ? 1 : 0;
        }
        return requireAll("orchestra4jStart", completed);
    }

    private int requireAll(String benchmark, int completed) {
        if (completed != sessions) {
            throw new IllegalStateException(benchmark + ": " + completed + " of " + sessions + " sessions completed");
        }
        return completed;
    }

    /** D2: an instance keeps no finished session. */
    @TearDown(Level.Iteration)
    public void nothingKept() {
        int kept = instance.listSessions().size();
        if (kept != 0) {
            throw new IllegalStateException("the instance still holds " + kept + " finished sessions");
        }
    }
}
