package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionHandle;
import dev.orchestra4j.topology.Topology;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whole-session measurements that JMH's per-operation model does not fit (SPEC §9):
 *
 * <ul>
 *   <li>{@code concurrent N [S]}: N sessions started at once, each a pipeline of S agents (default 1) that each sleep
 *       50 ms; reports the wall time against the ideal of S × 50 ms;
 *   <li>{@code idle N}: N sessions suspended on a question (a live {@link OrchestraInstance} keeps them in memory);
 *       reports the heap each one holds after a full GC.
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.orchestra4j.benchmarks.orchestra4j.SessionScale
 * concurrent 10000}.
 */
public final class SessionScale {

    private SessionScale() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        switch (args.length > 0 ? args[0] : "concurrent") {
            case "concurrent" -> concurrent(n, args.length > 2 ? Integer.parseInt(args[2]) : 1);
            case "idle" -> idle(n);
            default -> throw new IllegalArgumentException("usage: SessionScale concurrent|idle [N]");
        }
    }

    private static void concurrent(int n, int steps) throws Exception {
        AgentRegistry agents = AgentRegistry.create();
        for (int i = 0; i < steps; i++) {
            String next = "s" + (i + 1);
            boolean last = i == steps - 1;
            agents.register("s" + i, r -> {
                Thread.sleep(50);
                return last ? AgentResponse.finish("rested") : AgentResponse.handOff(next, "rested");
            });
        }
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Flows.pipeline(steps))
                .agents(agents)
                .build();
        double ideal = 50.0 * steps;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            List<SessionHandle> handles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                handles.add(instance.start("t", Map.of("session_id", "c" + round + "-" + i)));
            }
            int completed = 0;
            for (SessionHandle h : handles) {
                completed += h.await().status() == RunStatus.COMPLETED ? 1 : 0;
            }
            double wallMs = (System.nanoTime() - start) / 1e6;
            System.out.printf(
                    "concurrent round %d: %d sessions of %d steps, %d completed, wall %.0f ms, ideal %.0f ms,"
                            + " ratio %.2f%n",
                    round, n, steps, completed, wallMs, ideal, wallMs / ideal);
        }
    }

    private static void idle(int n) throws Exception {
        Topology topology = Topology.builder()
                .edge("Start -> Asker")
                .edge("Asker -> User")
                .edge("Asker -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create().register("Asker", r -> AgentResponse.askUser("continue?"));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .communicationConfig(CommunicationConfig.none())
                .build();
        instance.execute("warm-up", Map.of("session_id", "warm"), 5);
        long before = usedHeapAfterGc();
        for (int i = 0; i < n; i++) {
            OrchestraResult r = instance.execute("t", Map.of("session_id", "idle-" + i), 5);
            if (r.status() != RunStatus.WAITING_FOR_USER) {
                throw new IllegalStateException("session " + i + " ended " + r.status());
            }
        }
        long after = usedHeapAfterGc();
        System.out.printf(
                "idle: %d sessions suspended on a question, %.1f KB heap each (%d MB total)%n",
                n, (after - before) / 1024.0 / n, (after - before) / (1024 * 1024));
        System.out.println("kept alive: " + instance.listSessions().size());
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
