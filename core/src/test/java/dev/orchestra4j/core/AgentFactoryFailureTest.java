package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An agent factory is user code: when it fails (a missing API key, say) the step of that agent fails, naming it, and
 * is handled like any failed call. It used to crash the leg as an "internal engine error", logged at ERROR with a
 * stack trace, and the node's {@code [on error]} edge was never taken.
 */
final class AgentFactoryFailureTest {

    private final Topology withErrorEdge = Topology.builder()
            .edge("Start -> A")
            .edge("A -> End")
            .edge("A -> Fixer [on error]")
            .edge("Fixer -> End")
            .build();

    @Test
    void factoryThrows_theStepFails_andTheErrorEdgeIsTaken() {
        AgentRegistry agents = AgentRegistry.create()
                .registerFactory("A", () -> {
                    throw new IllegalStateException("cannot build A: missing API key");
                })
                .register(
                        "Fixer",
                        r -> AgentResponse.finish(
                                "fixed: " + r.error().orElseThrow().message()));

        OrchestraResult result = Orchestra.run(
                "task", withErrorEdge, RunOptions.builder().agents(agents).build());

        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(String.valueOf(result.finalResponse()))
                .contains("agent 'A' could not be made by its factory: IllegalStateException: cannot build A");
    }

    @Test
    void factoryThrows_withoutAnErrorEdge_failsTheRunNamingTheAgent_notTheEngine() {
        Topology topology = TestTopologies.single();
        AtomicInteger made = new AtomicInteger();
        AgentRegistry agents = AgentRegistry.create().registerFactory("A", () -> {
            made.incrementAndGet();
            throw new IllegalStateException("cannot build A: missing API key");
        });

        OrchestraResult result = Orchestra.run(
                "task", topology, RunOptions.builder().agents(agents).build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().orElseThrow())
                .contains("agent 'A' could not be made by its factory: IllegalStateException: cannot build A")
                .doesNotContain("internal engine error");
        assertThat(made).as("asked once per attempt").hasPositiveValue();
    }

    @Test
    void factoryReturnsNull_failsTheStepNamingIt() {
        Topology topology = TestTopologies.single();
        AgentRegistry agents = AgentRegistry.create().registerFactory("A", () -> null);

        OrchestraResult result = Orchestra.run(
                "task", topology, RunOptions.builder().agents(agents).build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error().orElseThrow())
                .contains("the factory for agent 'A' returned null")
                .doesNotContain("internal engine error");
    }
}
