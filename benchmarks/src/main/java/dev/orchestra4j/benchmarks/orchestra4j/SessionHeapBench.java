package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.topology.Topology;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Heap held per session by a live {@link OrchestraInstance} (SPEC §9, issue #11): one operation runs {@code sessions}
 * sessions through {@code execute} on a fresh instance and measures the used heap after full GCs, before and after.
 * {@code suspended}: each session asks the user and waits ({@code WAITING_FOR_USER}), so the instance must keep it;
 * {@code finished}: each session completes in one step, so the instance must keep nothing (D2). Reported through
 * JMH's auxiliary counters: {@code heapBytes} (held after the sessions, minus before) and {@code sessions}; divide
 * one by the other. The time is not a target.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SessionHeapBench {

    @Param({"suspended", "finished"})
    String kind;

    @Param({"10000"})
    int sessions;

    /** Totals of one iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Held {
        public long heapBytes;
        public long sessions;
        public long kept;
    }

    private OrchestraInstance instance;

    @Setup(Level.Invocation)
    public void setUp() {
        boolean suspended = kind.equals("suspended");
        Topology topology = Topology.builder()
                .edge("Start -> Asker")
                .edge("Asker -> User")
                .edge("Asker -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "Asker",
                        suspended ? r -> AgentResponse.askUser("continue?") : r -> AgentResponse.finish("done"));
        instance = OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .communicationConfig(CommunicationConfig.none())
                .build();
        instance.execute("warm-up", Map.of(), 5);
    }

    @Benchmark
    public long run(Held held) throws InterruptedException {
        RunStatus expected = kind.equals("suspended") ? RunStatus.WAITING_FOR_USER : RunStatus.COMPLETED;
        long before = usedHeapAfterGc();
        for (int i = 0; i < sessions; i++) {
            OrchestraResult r = instance.execute("t", Map.of(), 5);
            if (r.status() != expected) {
                throw new IllegalStateException("session " + i + " ended " + r.status() + ", expected " + expected);
            }
        }
        long after = usedHeapAfterGc();
        held.heapBytes += after - before;
        held.sessions += sessions;
        held.kept += instance.listSessions().size();
        return after - before;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
