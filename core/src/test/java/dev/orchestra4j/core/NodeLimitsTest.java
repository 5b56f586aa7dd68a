package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.topology.ConvergenceMode;
import dev.orchestra4j.topology.Node;
import dev.orchestra4j.topology.NodeKind;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Per-node overrides from node metadata: step_timeout, max_retries, max_concurrency; and the fail_fast policy. */
final class NodeLimitsTest {

    private final AgentRegistry agents = AgentRegistry.create();
    private final MutableClock clock = MutableClock.atEpoch();

    private static Node agentNode(String name, Map<String, Object> metadata) {
        return new Node(name, NodeKind.AGENT, ConvergenceMode.AUTO, metadata);
    }

    private SessionHandle start(Topology topology, int maxRetries) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .executionConfig(ExecutionConfig.builder()
                        .stepTimeout(Duration.ofMinutes(10))
                        .build())
                .errorConfig(ErrorHandlingConfig.builder()
                        .maxRetries(maxRetries)
                        .baseDelay(Duration.ofNanos(1)) // below a millisecond: retried at once
                        .build())
                .clock(clock)
                .build()
                .start("task", Map.of());
    }

    @Test
    void stepTimeout_fromNodeMetadata_overridesTheGlobalOne_andIsRetried() throws Exception {
        Topology t = Topology.builder()
                .node(agentNode("Slow", Map.of("step_timeout", "5s", "max_retries", 1)))
                .edge("Start -> Slow")
                .edge("Slow -> End")
                .build();
        CountDownLatch firstStarted = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        agents.register("Slow", r -> {
            if (attempts.incrementAndGet() == 1) {
                firstStarted.countDown();
                new CountDownLatch(1).await();
            }
            return AgentResponse.finish("attempt " + r.attempt());
        });

        SessionHandle handle = start(t, 0);
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(6)); // far below the global 10 minutes
        OrchestraResult result = handle.await();

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("attempt 2");
        assertThat(result.executionTrace()).anySatisfy(s -> assertThat(s.error())
                .hasValueSatisfying(e -> assertThat(e).contains("timed out after PT5S (the node's step_timeout)")));
    }

    @Test
    void maxRetries_fromNodeMetadata_overridesTheGlobalBudget() {
        Topology t = Topology.builder()
                .node(agentNode("Flaky", Map.of("max_retries", 3)))
                .edge("Start -> Flaky")
                .edge("Flaky -> End")
                .build();
        AtomicInteger attempts = new AtomicInteger();
        agents.register("Flaky", r -> {
            if (attempts.incrementAndGet() < 4) {
                throw new java.util.concurrent.TimeoutException("try again");
            }
            return AgentResponse.finish("ok on " + r.attempt());
        });

        OrchestraResult result = start(t, 0).await(); // the global budget allows no retry at all

        assertThat(result.finalResponse()).isEqualTo("ok on 4");
    }

    @Test
    void maxRetries_zeroOnTheNode_disablesRetriesThere() {
        Topology t = Topology.builder()
                .node(agentNode("Once", Map.of("max_retries", 0)))
                .edge("Start -> Once")
                .edge("Once -> End")
                .build();
        AtomicInteger attempts = new AtomicInteger();
        agents.register("Once", r -> {
            attempts.incrementAndGet();
            throw new java.util.concurrent.TimeoutException("no luck");
        });

        OrchestraResult result = start(t, 3).await();

        assertThat(result.success()).isFalse();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void maxConcurrency_onAForkingNode_capsItsRunningChildren() {
        Topology t = Topology.builder()
                .node(agentNode("Hub", Map.of("max_concurrency", 2)))
                .edge("Start -> Hub")
                .edge("Hub <-> W")
                .edge("Hub -> End")
                .build();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch pair = new CountDownLatch(2);
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(List.of(
                                        Invocation.of("W", 1),
                                        Invocation.of("W", 2),
                                        Invocation.of("W", 3),
                                        Invocation.of("W", 4),
                                        Invocation.of("W", 5)))
                                : AgentResponse.finish(r.arrivals().size() + " arrived"))
                .register("W", r -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        pair.countDown();
                        pair.await(5, TimeUnit.SECONDS); // the first two meet; later ones pass at once
                        Thread.sleep(20);
                        return AgentResponse.finish(r.input());
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });

        OrchestraResult result =
                Orchestra.run("task", t, RunOptions.builder().agents(agents).build());

        assertThat(result.finalResponse()).isEqualTo("5 arrived");
        assertThat(maxInFlight).hasValue(2);
        List<Object> order = new ArrayList<>();
        ((List<?>) result.executionTrace().getLast().input()).forEach(a -> order.add(((Arrival) a).value()));
        assertThat(order).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void failFast_namedPolicy_cancelsTheSiblingsAtTheFirstFailure() throws Exception {
        Topology t = Topology.builder()
                .node(agentNode("Hub", Map.of("convergence_policy", "fail_fast")))
                .edge("Start -> Hub")
                .edge("Hub <-> Slow")
                .edge("Hub <-> Boom")
                .edge("Hub -> End")
                .build();
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch slowInterrupted = new CountDownLatch(1);
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Slow", 1), Invocation.of("Boom", 2))
                                : AgentResponse.finish("joined"))
                .register("Slow", r -> {
                    slowStarted.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        slowInterrupted.countDown();
                        throw e;
                    }
                    return AgentResponse.finish("never");
                })
                .register("Boom", r -> {
                    slowStarted.await(5, TimeUnit.SECONDS);
                    return AgentResponse.fail("boom");
                });

        OrchestraResult result =
                Orchestra.run("task", t, RunOptions.builder().agents(agents).build());

        assertThat(result.success()).isFalse();
        assertThat(slowInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ConvergencePolicy.named("fail_fast")).isEqualTo(ConvergencePolicy.FAIL_FAST);
    }

    @Test
    void badMetadataValues_areRejectedBeforeTheRunNamingTheNode() {
        Topology t = Topology.builder()
                .node(agentNode("A", Map.of("step_timeout", "soon")))
                .edge("Start -> A")
                .edge("A -> End")
                .build();
        agents.register("A", r -> AgentResponse.finish("x"));

        assertThatThrownBy(() -> Orchestra.run(
                        "task", t, RunOptions.builder().agents(agents).build()))
                .hasMessageContaining("node 'A': step_timeout must be a duration");
    }
}
