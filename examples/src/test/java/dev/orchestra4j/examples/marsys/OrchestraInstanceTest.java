package dev.orchestra4j.examples.marsys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.core.SessionHandle;
import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.Verbosity;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.PatternConfig;
import dev.orchestra4j.topology.Stage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MARSYS "OrchestraInstance": the example usage (execute, needs_review, pause, resume, checkpoint). */
final class OrchestraInstanceTest {

    private static final StatusConfig QUIET_CONSOLE =
            StatusConfig.fromVerbosity(Verbosity.NORMAL).withOut(new PrintStream(OutputStream.nullOutputStream()));

    private final AgentRegistry agents = AgentRegistry.create()
            .register(
                    "Extractor",
                    r -> AgentResponse.handOff(
                            "Transformer", "rows of " + r.context().get("batch_id")))
            .register("Transformer", r -> AgentResponse.handOff("Loader", "clean " + r.input()))
            .register("Loader", r -> AgentResponse.finish("loaded " + r.input())
                    .withMetadata("needs_review", !r.context().containsKey("review_complete")));

    private OrchestraInstance orchestra(Path state) {
        return OrchestraInstance.builder()
                .topology(PatternConfig.pipeline(List.of(
                        Stage.of("extract", "Extractor"),
                        Stage.of("transform", "Transformer"),
                        Stage.of("load", "Loader"))))
                .agents(agents)
                .executionConfig(ExecutionConfig.builder().status(QUIET_CONSOLE).build())
                .errorConfig(ErrorHandlingConfig.builder().maxRetries(0).build())
                .stateManager(new StateManager(new FileStorageBackend(state)))
                .build();
    }

    @Test
    void exampleUsage_executeThenNeedsReviewFromResultMetadataThenCheckpoint(@TempDir Path state) {
        try (OrchestraInstance orchestra = orchestra(state)) {
            OrchestraResult result = orchestra.execute(
                    "Process customer data", Map.of("batch_id", "2024_Q1", "session_id", "session_123"), 50);

            assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
            assertThat(result.finalResponse()).isEqualTo("loaded clean rows of 2024_Q1");
            assertThat(result.metadata()).containsEntry("needs_review", true);
            if (Boolean.TRUE.equals(result.metadata().get("needs_review"))) {
                // the run has finished: there is nothing left to pause
                assertThat(orchestra.pauseSession("session_123", "Manual review required"))
                        .isFalse();
            }
            String checkpointId = orchestra.createCheckpoint("session_123", "before_critical_operation");
            assertThat(checkpointId).contains("before_critical_operation");
            assertThatThrownBy(() -> orchestra.resumeSession("session_123", Map.of("review_complete", true)))
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("session 'session_123' ended COMPLETED and cannot be resumed");
        }
    }

    @Test
    void exampleUsage_pauseWhileRunningThenResumeWithAdditionalContext(@TempDir Path state) throws Exception {
        CountDownLatch transforming = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        agents.register("Transformer", r -> {
            transforming.countDown();
            release.await(10, TimeUnit.SECONDS);
            return AgentResponse.handOff("Loader", "clean " + r.input());
        });
        try (OrchestraInstance orchestra = orchestra(state)) {
            SessionHandle handle = orchestra.start(
                    "Process customer data", Map.of("batch_id", "2024_Q1", "session_id", "session_123"));
            assertThat(transforming.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(orchestra.pauseSession("session_123", "Manual review required"))
                    .isTrue();
            release.countDown();
            assertThat(handle.await().status()).isEqualTo(RunStatus.PAUSED);

            OrchestraResult result = orchestra.resumeSession("session_123", Map.of("review_complete", true));

            assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
            assertThat(result.finalResponse()).isEqualTo("loaded clean rows of 2024_Q1");
            assertThat(result.metadata()).containsEntry("needs_review", false);
        }
    }

    @Test
    void execute_withPerCallExecutionConfig_appliesToThisCallOnly(@TempDir Path state) {
        CountDownLatch never = new CountDownLatch(1);
        agents.register("Transformer", r -> {
            if ("2024_Q2".equals(r.context().get("batch_id"))) {
                never.await(); // stuck until the step timeout interrupts it
            }
            return AgentResponse.handOff("Loader", "clean " + r.input());
        });
        try (OrchestraInstance orchestra = orchestra(state)) {
            ExecutionConfig strict = ExecutionConfig.builder()
                    .stepTimeout(Duration.ofMillis(100))
                    .status(QUIET_CONSOLE)
                    .build();

            OrchestraResult result =
                    orchestra.execute("Process customer data", Map.of("batch_id", "2024_Q2"), 50, strict);

            assertThat(result.status()).isEqualTo(RunStatus.FAILED);
            assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("Transformer", "TIMEOUT"));
            assertThat(orchestra
                            .execute("Process customer data", Map.of("batch_id", "2024_Q3"), 50)
                            .status())
                    .as("the instance's own config (10 min step timeout) is unchanged")
                    .isEqualTo(RunStatus.COMPLETED);
        }
    }
}
