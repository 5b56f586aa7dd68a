package dev.orchestra4j.core.internal.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.Verbosity;
import dev.orchestra4j.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Live console output (SPEC §8) for each verbosity, read back from the stream it was printed to. The run returns only
 * after the printer drained, so every assertion reads the output right after {@code Orchestra.run} returned.
 */
final class StatusPrinterTest {

    private static final String MS = "\\d+(\\.\\d\\d)? ms";

    private final AgentRegistry agents = AgentRegistry.create();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private OrchestraResult run(String sessionId, Topology topology, Verbosity verbosity, PrintStream out) {
        return Orchestra.run(
                "task",
                topology,
                dev.orchestra4j.core.RunOptions.builder()
                        .agents(agents)
                        .context(Map.of("session_id", sessionId))
                        .executionConfig(ExecutionConfig.builder()
                                .status(StatusConfig.fromVerbosity(verbosity).withOut(out))
                                .build())
                        .errorConfig(ErrorHandlingConfig.builder()
                                .maxRetries(1)
                                .baseDelay(Duration.ofMillis(1))
                                .build())
                        .build());
    }

    private OrchestraResult run(String sessionId, Topology topology, Verbosity verbosity) {
        return run(sessionId, topology, verbosity, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private Topology linear() {
        agents.register("Agent", r -> AgentResponse.handOff("Critic", "draft"))
                .register("Critic", r -> AgentResponse.finish("ok"));
        return Topology.builder()
                .edge("Start -> Agent")
                .edge("Agent -> Critic")
                .edge("Critic -> End")
                .build();
    }

    private Topology fork() {
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("W1", 1), Invocation.of("W2", 2))
                                : AgentResponse.finish("joined"))
                .register("W1", r -> AgentResponse.finish("one"))
                .register("W2", r -> AgentResponse.finish("two"));
        return Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("Hub -> End")
                .build();
    }

    @Test
    void normal_linearRun_printsStartOneLinePerStepWithAgentPrefixAndTheEnd() {
        run("s-lin", linear(), Verbosity.NORMAL);

        assertThat(lines()).hasSize(4);
        assertThat(lines().get(0)).isEqualTo("▶ session s-lin started (4 nodes)");
        assertThat(lines().get(1)).matches("  \\[b1 Agent\\] step 1 → invoke \\(" + MS + "\\)");
        assertThat(lines().get(2)).matches("  \\[b1 Critic\\] step 2 → finish \\(" + MS + "\\)");
        assertThat(lines().get(3)).matches("✔ session s-lin COMPLETED after 2 steps in " + MS);
    }

    @Test
    void normal_fork_printsForkedChildrenAndTheFiredBarrier() {
        run("s-fork", fork(), Verbosity.NORMAL);

        assertThat(lines())
                .contains("  [b2 W1] ⇉ forked from b1", "  [b3 W2] ⇉ forked from b1")
                .anySatisfy(l -> assertThat(l).matches("  \\[b1 Hub\\] step 1 → parallel \\(" + MS + "\\)"))
                .anySatisfy(l -> assertThat(l).matches("  \\[b2 W1\\] step \\d → finish \\(" + MS + "\\)"))
                .anySatisfy(l -> assertThat(l).matches("  ⇶ fork f2 at Hub: 2 arrived, 0 failed, waited " + MS))
                .anySatisfy(l -> assertThat(l).matches("  \\[b1 Hub\\] step 4 → finish \\(" + MS + "\\)"));
        assertThat(lines().getLast()).matches("✔ session s-fork COMPLETED after 4 steps in " + MS);
        assertThat(String.join("\n", lines()))
                .as("children fork before they run; the barrier fires before the hub resumes")
                .containsSubsequence("⇉ forked from b1", "⇶ fork f2", "[b1 Hub] step 4");
    }

    @Test
    void normal_rendezvous_printsTheJoiningBranchAndTheBarrier() {
        agents.register("A", r -> AgentResponse.handOff("Agg", "a"))
                .register("B", r -> AgentResponse.handOff("Agg", "b"))
                .register("Agg", r -> AgentResponse.finish(r.arrivals().size()));
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("Start -> B")
                .edge("A -> Agg")
                .edge("B -> Agg")
                .edge("Agg -> End")
                .build();

        run("s-rv", t, Verbosity.NORMAL);

        assertThat(lines())
                .anySatisfy(l -> assertThat(l).matches("  \\[b2 Agg\\] ⇶ joins at b[13]"))
                .anySatisfy(l -> assertThat(l).matches("  ⇶ rendezvous r2 at Agg: 2 arrived, 0 failed, waited " + MS));
        assertThat(lines().getLast()).matches("✔ session s-rv COMPLETED after 3 steps in " + MS);
    }

    @Test
    void quiet_successfulRun_printsOnlyStartAndEnd() {
        run("s-q", fork(), Verbosity.QUIET);

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).isEqualTo("▶ session s-q started (5 nodes)");
        assertThat(lines().get(1)).matches("✔ session s-q COMPLETED after 4 steps in " + MS);
    }

    @Test
    void quiet_failingRun_printsTheFailureAndTheEndWithItsError() {
        agents.register("A", r -> AgentResponse.fail("nope"));
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();

        run("s-qf", t, Verbosity.QUIET);

        assertThat(lines()).hasSize(3);
        assertThat(lines().get(1)).isEqualTo("  [b1 A] ✗ AGENT: nope");
        assertThat(lines().get(2))
                .matches("✘ session s-qf FAILED after 1 steps in " + MS + ": agent 'A' failed on b1 .*nope");
    }

    @Test
    void verbose_printsRetriesAndSettledBranchesOnTopOfNormal() {
        agents.register(
                "A",
                r -> r.attempt() == 1
                        ? AgentResponse.fail("flaky", ErrorCategory.NETWORK)
                        : AgentResponse.finish("fine"));
        Topology t = Topology.builder().edge("Start -> A").edge("A -> End").build();

        run("s-v", t, Verbosity.VERBOSE);

        assertThat(lines())
                .contains("  [b1 A] ✗ NETWORK: flaky (will retry)", "  [b1 A] settled COMPLETED after 2 steps")
                .anySatisfy(l -> assertThat(l).matches("  \\[b1 A\\] ↻ attempt 2 in " + MS))
                .anySatisfy(l -> assertThat(l).matches("  \\[b1 A\\] step 2 → finish \\(" + MS + "\\)"));
        assertThat(lines().getLast()).matches("✔ session s-v COMPLETED after 2 steps in " + MS);
    }

    @Test
    void normal_doesNotPrintVerboseOnlyLines() {
        run("s-n", fork(), Verbosity.NORMAL);

        assertThat(lines()).noneSatisfy(l -> assertThat(l).contains("settled"));
    }

    @Test
    void run_slowConsole_returnsOnlyAfterEveryLineWasPrinted() {
        PrintStream slow = new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        bytes.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        try {
                            Thread.sleep(15); // a console that lags behind the run
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        bytes.write(b, off, len);
                    }
                },
                true,
                StandardCharsets.UTF_8);

        run("s-slow", fork(), Verbosity.VERBOSE, slow);

        assertThat(lines().getFirst()).startsWith("▶ session s-slow started");
        assertThat(lines().getLast()).matches("✔ session s-slow COMPLETED after 4 steps in " + MS);
        assertThat(lines()).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void quiet_timeout_printsTheTimeoutLineBetweenStartAndEnd() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        agents.register("Slow", r -> {
            started.countDown();
            new java.util.concurrent.CountDownLatch(1).await();
            return AgentResponse.finish("never");
        });
        Topology t =
                Topology.builder().edge("Start -> Slow").edge("Slow -> End").build();
        ManualClock clock = new ManualClock();
        dev.orchestra4j.core.OrchestraInstance instance = dev.orchestra4j.core.OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .executionConfig(ExecutionConfig.builder()
                        .runTimeout(Duration.ofSeconds(5))
                        .status(StatusConfig.fromVerbosity(Verbosity.QUIET)
                                .withOut(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                        .build())
                .clock(clock)
                .build();

        dev.orchestra4j.core.SessionHandle handle = instance.start("task", Map.of("session_id", "s-t"));
        assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(6));
        handle.await();
        instance.close();

        assertThat(lines()).hasSize(3);
        assertThat(lines().get(1)).isEqualTo("  ⏱ RUN timeout: run after PT5S");
        assertThat(lines().get(2))
                .matches("✘ session s-t TIMED_OUT after 1 steps in " + MS + ": the run timed out after PT5S .*");
    }

    /** A clock the test moves; the run's timeouts fire only when it does. */
    private static final class ManualClock extends java.time.Clock {
        private final java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(
                java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis.get());
        }
    }

    @Test
    void verbose_printsEachStepsInputAndDecisionCutToMaxValueLength() {
        agents.register("A", r -> AgentResponse.handOff("B", "x".repeat(100) + "\nsecond line"))
                .register("B", r -> AgentResponse.finish("short"));
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();

        Orchestra.run(
                "the task",
                t,
                dev.orchestra4j.core.RunOptions.builder()
                        .agents(agents)
                        .executionConfig(ExecutionConfig.builder()
                                .status(StatusConfig.fromVerbosity(Verbosity.VERBOSE)
                                        .withOut(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                                        .withMaxValueLength(20))
                                .build())
                        .build());

        assertThat(lines())
                .containsSubsequence(
                        "  [b1 A] ← the task",
                        "  [b1 A] → hand-off to B: xxxxxxxxxxxxxxxxxxx…",
                        "  [b1 B] ← xxxxxxxxxxxxxxxxxxx…",
                        "  [b1 B] → finish: short");
    }

    @Test
    void normal_printsNoInputsOrOutputs() {
        run("s-n2", fork(), Verbosity.NORMAL);

        assertThat(lines()).noneSatisfy(l -> assertThat(l).contains(" ← ")).noneSatisfy(l -> assertThat(l)
                .contains("→ finish:"));
    }

    @Test
    void maxValueLength_belowTen_isRejected() {
        assertThatThrownBy(() -> StatusConfig.fromVerbosity(Verbosity.VERBOSE).withMaxValueLength(9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxValueLength must be at least 10, was 9");
    }
}
