package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code runTimeout} holds across legs on the session clock (SPEC §4.5): time that passed on the injected clock in an
 * earlier leg counts against the limit of the next one, whatever the wall clock did.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RunTimeoutAcrossLegsTest {

    @Test
    void timeOnTheSessionClockInAnEarlierLeg_countsAgainstRunTimeoutInTheNext() throws Exception {
        MutableClock clock = MutableClock.atEpoch();
        CountDownLatch secondLegStep = new CountDownLatch(1);
        Agent ask = r -> {
            if ("a".equals(r.inputText())) {
                secondLegStep.countDown();
                new CountDownLatch(1).await(); // runs until the run times out and interrupts it
                return AgentResponse.finish("never");
            }
            clock.advance(Duration.ofSeconds(50)); // this leg takes 50 s of session time
            return AgentResponse.askUser("q");
        };
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edges("Start -> Ask", "Ask -> User", "Ask -> End")
                        .build())
                .agents(AgentRegistry.create().register("Ask", ask))
                .executionConfig(ExecutionConfig.builder()
                        .runTimeout(Duration.ofSeconds(60))
                        .stepTimeout(Duration.ofHours(1))
                        .branchTimeout(Duration.ofHours(1))
                        .build())
                .communicationConfig(CommunicationConfig.durable())
                .clock(clock)
                .build();

        OrchestraResult first = instance.execute("t", Map.of("session_id", "rt-1"), 10);
        assertThat(first.status()).as(first.error().orElse("")).isEqualTo(RunStatus.WAITING_FOR_USER);

        CompletableFuture<OrchestraResult> second = CompletableFuture.supplyAsync(() -> instance.respond("rt-1", "a"));
        assertThat(secondLegStep.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(20)); // 70 s of session time in all: past the 60 s limit

        OrchestraResult result = second.get(20, TimeUnit.SECONDS);
        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("runTimeout"));
        assertThat(result.totalDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(70));
    }
}
