package dev.orchestra4j.benchmarks.orchestra4j;

import dev.orchestra4j.benchmarks.Workloads;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/** The benchmark workloads as Orchestra4j topologies and agents. */
final class Flows {

    private Flows() {}

    /** {@code Start -> s0 -> … -> s(n-1) -> End}; agent i returns {@code Workloads.stepOutput(i)}. */
    static Topology pipeline(int steps) {
        Topology.Builder b = Topology.builder().edge("Start -> s0");
        for (int i = 0; i < steps - 1; i++) {
            b.edge("s" + i + " -> s" + (i + 1));
        }
        return b.edge("s" + (steps - 1) + " -> End").build();
    }

    /**
     * {@code Start -> Ping}, {@code Ping <-> Pong}, both {@code -> End}: two nodes taking turns, so that a run of any
     * length has the same two nodes and its per-step cost holds no per-node setup (review §6).
     */
    static Topology cycle() {
        return Topology.builder()
                .edge("Start -> Ping")
                .edge("Ping <-> Pong")
                .edge("Ping -> End")
                .edge("Pong -> End")
                .build();
    }

    /**
     * Ping and Pong hand off to each other, each returning {@code Workloads.stepOutput(step)}, until the run's
     * {@code steps}-th step, which finishes.
     */
    static AgentRegistry cycleAgents(int steps) {
        return AgentRegistry.create().register("Ping", turn("Pong", steps)).register("Pong", turn("Ping", steps));
    }

    private static dev.orchestra4j.core.Agent turn(String other, int steps) {
        return r -> r.step() >= steps
                ? AgentResponse.finish(Workloads.stepOutput(r.step()))
                : AgentResponse.handOff(other, Workloads.stepOutput(r.step()));
    }

    static AgentRegistry pipelineAgents(int steps) {
        AgentRegistry agents = AgentRegistry.create();
        for (int i = 0; i < steps; i++) {
            int step = i;
            String next = "s" + (i + 1);
            agents.register(
                    "s" + i,
                    step == steps - 1
                            ? r -> AgentResponse.finish(Workloads.stepOutput(step))
                            : r -> AgentResponse.handOff(next, Workloads.stepOutput(step)));
        }
        return agents;
    }

    /** {@code Start -> Hub}, {@code Hub <-> Worker}, {@code Hub -> End}: the hub forks {@code width} workers. */
    static Topology fanOut() {
        return Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Worker")
                .edge("Hub -> End")
                .build();
    }

    static AgentRegistry fanOutAgents(int width) {
        List<Invocation> invocations = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            invocations.add(Invocation.of("Worker", i));
        }
        return AgentRegistry.create()
                .register(
                        "Hub",
                        r -> r.input() instanceof List<?> arrivals
                                ? AgentResponse.finish(arrivals.size())
                                : AgentResponse.parallel(invocations))
                .register("Worker", r -> AgentResponse.finish(Workloads.branchOutput((Integer) r.input())));
    }

    /** Throws unless the run completed with the expected number of steps. */
    static void check(String benchmark, OrchestraResult result, int steps) {
        if (result.status() != RunStatus.COMPLETED) {
            throw new IllegalStateException(
                    benchmark + " did not complete: " + result.error().orElse("?"));
        }
        Workloads.requireAll(benchmark, steps, result.totalSteps());
    }
}
