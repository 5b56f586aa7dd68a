package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.state.StateManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PauseResumeTest {

    @TempDir
    Path directory;

    @Test
    void run_pausedWhileDrafting_secondOrchestraResumesFromFilesWithoutRepeatingSteps() {
        PauseResume.Outcome outcome =
                PauseResume.run("virtual threads", directory, ExecutionConfig.defaults(), List.of());

        assertThat(outcome.paused().status()).isEqualTo(RunStatus.PAUSED);
        assertThat(outcome.paused().totalSteps()).isEqualTo(2);
        assertThat(outcome.stored()).singleElement().satisfies(session -> {
            assertThat(session.sessionId()).isEqualTo(PauseResume.SESSION_ID);
            assertThat(session.status()).isEqualTo("PAUSED");
        });
        assertThat(outcome.resumed().status())
                .as(outcome.resumed().error().orElse(""))
                .isEqualTo(RunStatus.COMPLETED);
        assertThat(outcome.resumed().finalResponse())
                .isEqualTo("published: edited draft from outline of virtual threads");
        assertThat(outcome.stepsRun()).containsExactly("Outline", "Draft", "Edit", "Publish");
    }

    @Test
    void resumeSession_sessionNeverStored_failsNamingIt() {
        try (StateManager storage = PauseResume.storage(directory);
                OrchestraInstance orchestra = PauseResume.orchestra(
                        storage,
                        PauseResume.agents(new ArrayList<>(), id -> {}),
                        ExecutionConfig.defaults(),
                        List.of())) {
            assertThatThrownBy(() -> orchestra.resumeSession("no-such-session", Map.of()))
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("'no-such-session'");
        }
    }

    @Test
    void resumeSession_sessionAlreadyCompleted_failsSayingItCannotBeResumed() {
        PauseResume.run("virtual threads", directory, ExecutionConfig.defaults(), List.of());

        try (StateManager storage = PauseResume.storage(directory);
                OrchestraInstance third = PauseResume.orchestra(
                        storage,
                        PauseResume.agents(new ArrayList<>(), id -> {}),
                        ExecutionConfig.defaults(),
                        List.of())) {
            assertThatThrownBy(() -> third.resumeSession(PauseResume.SESSION_ID, Map.of()))
                    .isInstanceOf(SessionException.class)
                    .hasMessageContaining("'" + PauseResume.SESSION_ID + "'");
        }
    }
}
