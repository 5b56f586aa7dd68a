package dev.orchestra4j.examples.marsys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionHandle;
import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.Verbosity;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** MARSYS "Best Practices": handle results, set timeouts, manage state, choose verbosity, clean up. */
final class BestPracticesTest {

    private static final Topology TOPOLOGY =
            Topology.builder().edges("Start -> Worker", "Worker -> End").build();

    private final AgentRegistry agents = AgentRegistry.create();

    @Test
    void alwaysHandleResults_failureCarriesAnError() {
        agents.register("Worker", r -> AgentResponse.fail("no data"));

        OrchestraResult result = Orchestra.run(
                "task",
                TOPOLOGY,
                RunOptions.builder()
                        .agents(agents)
                        .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                        .build());

        assertThat(result.success()).isFalse();
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("no data"));
    }

    @Test
    void setAppropriateTimeouts_quickStepTimeoutStopsAStuckAgent() {
        CountDownLatch never = new CountDownLatch(1);
        agents.register("Worker", r -> {
            never.await();
            return AgentResponse.finish("unreachable");
        });
        ExecutionConfig config = ExecutionConfig.builder()
                .stepTimeout(Duration.ofMillis(50))
                .convergenceTimeout(Duration.ofSeconds(300))
                .build();

        OrchestraResult result = Orchestra.run(
                "task",
                TOPOLOGY,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(config)
                        .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                        .build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("TIMEOUT"));
    }

    @Test
    void useStateManagement_enablesPauseAndResume() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        agents.register("Worker", r -> {
            working.countDown();
            release.await(10, TimeUnit.SECONDS);
            return AgentResponse.handOff("Checker", "draft");
        });
        agents.register("Checker", r -> AgentResponse.finish("checked " + r.input()));
        Topology topology = Topology.builder()
                .edges("Start -> Worker", "Worker -> Checker", "Checker -> End")
                .build();
        try (OrchestraInstance orchestra = OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .stateManager(new StateManager(StorageBackends.inMemory()))
                .build()) {
            SessionHandle handle = orchestra.start("task", Map.of("session_id", "best-practice"));
            assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(orchestra.pauseSession("best-practice", "lunch")).isTrue();
            release.countDown();
            assertThat(handle.await().status()).isEqualTo(RunStatus.PAUSED);

            assertThat(orchestra.resumeSession("best-practice", Map.of()).finalResponse())
                    .isEqualTo("checked draft");
        }
    }

    @Test
    void monitorWithVerbosity_quietPrintsNothingVerbosePrintsTheSteps() {
        agents.register("Worker", r -> AgentResponse.finish("done"));

        assertThat(console(Verbosity.QUIET)).doesNotContain("Worker");
        assertThat(console(Verbosity.VERBOSE)).contains("Worker");
    }

    private String console(Verbosity verbosity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StatusConfig status =
                StatusConfig.fromVerbosity(verbosity).withOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        Orchestra.run(
                "task",
                TOPOLOGY,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(
                                ExecutionConfig.builder().status(status).build())
                        .build());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cleanUpResources_closingTheInstanceCancelsWhatStillRuns() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        agents.register("Worker", r -> {
            working.countDown();
            never.await();
            return AgentResponse.finish("unreachable");
        });
        SessionHandle handle;
        OrchestraInstance orchestra =
                OrchestraInstance.builder().topology(TOPOLOGY).agents(agents).build();
        try {
            handle = orchestra.start("task", Map.of());
            assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            orchestra.close();
        }

        assertThat(handle.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.CANCELLED);
    }
}
