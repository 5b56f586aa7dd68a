package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An {@link OrchestraInstance} starts each session from its defaults with {@code forRun}: the same options as {@code
 * toBuilder().maxSteps(n).context(c).build()}, without copying every list and map.
 */
final class RunOptionsForRunTest {

    private final OrchestraListener listener = event -> {};

    private final RunOptions defaults = RunOptions.builder()
            .agents(AgentRegistry.create())
            .context(Map.of("tenant", "acme", "region", "eu"))
            .secret("apiKey", "s3cret")
            .maxSteps(7)
            .allowFollowUps(true)
            .followUpTimeout(Duration.ofSeconds(3))
            .listener(listener)
            .stateManager(new StateManager(StorageBackends.inMemory()))
            .build();

    @Test
    void forRun_isWhatTheBuilderGives() {
        Map<String, Object> call = Map.of("region", "us", "user", "ada");

        RunOptions fast = defaults.forRun(3, call);
        RunOptions built = defaults.toBuilder().maxSteps(3).context(call).build();

        assertThat(fast.context())
                .isEqualTo(built.context())
                .isEqualTo(Map.of("tenant", "acme", "region", "us", "user", "ada"));
        assertThat(fast.maxSteps()).isEqualTo(built.maxSteps()).isEqualTo(3);
        assertThat(fast.secrets()).isEqualTo(built.secrets());
        assertThat(fast.agents()).isSameAs(built.agents());
        assertThat(fast.executionConfig()).isSameAs(built.executionConfig());
        assertThat(fast.errorConfig()).isSameAs(built.errorConfig());
        assertThat(fast.communicationConfig()).isSameAs(built.communicationConfig());
        assertThat(fast.stateManager()).isEqualTo(built.stateManager());
        assertThat(fast.allowFollowUps()).isEqualTo(built.allowFollowUps()).isTrue();
        assertThat(fast.followUpTimeout()).isEqualTo(built.followUpTimeout());
        assertThat(fast.listeners()).isEqualTo(built.listeners()).containsExactly(listener);
        assertThat(fast.recording()).isEqualTo(built.recording());
        assertThat(defaults.context()).as("the defaults are unchanged").containsEntry("region", "eu");
    }

    @Test
    void forRun_withNoContext_keepsTheDefaultsContext() {
        assertThat(defaults.forRun(5, Map.of()).context()).isSameAs(defaults.context());
    }

    @Test
    void forRun_rejectsWhatTheBuilderRejects_namingIt() {
        assertThatThrownBy(() -> defaults.forRun(0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSteps must be positive, was 0");
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("user", null);
        assertThatThrownBy(() -> defaults.forRun(5, withNull))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("context value for 'user'");
    }
}
