package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The user code that judges a step's outcome — edge predicates on a reply, the error classifier on a failure — runs
 * where the step ran, inside the step (issue #11: the deciding machine runs no user code). So it is bounded like the
 * agent: a stuck predicate times out with the step, and a classifier that breaks cannot keep the outcome from the
 * session.
 */
final class JudgedWhereItRanTest {

    private final AgentRegistry agents = AgentRegistry.create();
    private final MutableClock clock = MutableClock.atEpoch();

    private final Topology judged = Topology.builder()
            .edge("Start -> Judge")
            .edge("Judge -> Good [when valid]")
            .edge("Judge -> End")
            .edge("Good -> End")
            .build();

    @Test
    void aStuckPredicate_timesOutWithItsStep_andIsInterrupted() throws Exception {
        CountDownLatch judging = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        agents.register("Judge", r -> AgentResponse.reply("doc")).register("Good", r -> AgentResponse.finish("good"));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(judged)
                .agents(agents)
                .executionConfig(ExecutionConfig.builder()
                        .stepTimeout(Duration.ofSeconds(30))
                        .build())
                .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                .clock(clock)
                .condition("valid", content -> {
                    judging.countDown();
                    try {
                        new CountDownLatch(1).await(); // stuck until interrupted
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        Thread.currentThread().interrupt();
                    }
                    return true;
                })
                .build();

        SessionHandle handle = instance.start("task", java.util.Map.of());
        assertThat(judging.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(31));
        OrchestraResult result = handle.await();

        assertThat(interrupted.await(10, TimeUnit.SECONDS))
                .as("the predicate's thread was interrupted")
                .isTrue();
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("Judge").contains("stepTimeout"));
        assertThat(result.wasAgentInvoked("Good")).isFalse();
    }

    @Test
    void aClassifierThatThrowsAnError_makesTheFailureUnknown_andTheRunEnds() {
        AtomicInteger calls = new AtomicInteger();
        ErrorClassifier broken = new ErrorClassifier() {
            @Override
            public ErrorCategory classify(Throwable error) {
                calls.incrementAndGet();
                throw new StackOverflowError("classifier recursed");
            }
        };
        agents.register("Judge", r -> {
                    throw new IllegalStateException("judge broke");
                })
                .register("Good", r -> AgentResponse.finish("good"));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(judged)
                .agents(agents)
                .errorConfig(ErrorHandlingConfig.builder()
                        .classifier(broken)
                        .maxRetries(3)
                        .build())
                .build();

        OrchestraResult result = instance.execute("task");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(
                        e -> assertThat(e).contains("UNKNOWN").contains("IllegalStateException: judge broke"));
        assertThat(calls)
                .as("classified once, where the step ran; UNKNOWN is not retried")
                .hasValue(1);
    }
}
