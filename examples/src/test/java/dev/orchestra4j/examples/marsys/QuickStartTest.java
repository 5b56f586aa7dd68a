package dev.orchestra4j.examples.marsys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.AgentException;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.Verbosity;
import dev.orchestra4j.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MARSYS "Quick Start": one-line execution and execution with configuration. */
final class QuickStartTest {

    /** Agent names unique to this class: the one-line form uses the global registry. */
    private static final Topology TOPOLOGY = Topology.builder()
            .edges("Start -> QuickStartResearcher", "QuickStartResearcher -> QuickStartWriter")
            .edge("QuickStartWriter -> End")
            .build();

    @AfterEach
    void unregister() {
        AgentRegistry.global().unregister("QuickStartResearcher");
        AgentRegistry.global().unregister("QuickStartWriter");
    }

    private static void registerGlobally() {
        AgentRegistry.global()
                .register("QuickStartResearcher", r -> AgentResponse.handOff("QuickStartWriter", "trends: agents"))
                .register("QuickStartWriter", r -> AgentResponse.finish("report on " + r.input()));
    }

    @Test
    void oneLineExecution_globalRegistryAndDefaults() {
        registerGlobally();

        OrchestraResult result = Orchestra.run("Research AI trends and write a report", TOPOLOGY);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("report on trends: agents");
    }

    @Test
    void oneLineExecution_agentMissing_failsBeforeAnyAgentRunsNamingIt() {
        AgentRegistry.global().register("QuickStartResearcher", r -> AgentResponse.finish("never runs"));

        assertThatThrownBy(() -> Orchestra.run("Research AI trends and write a report", TOPOLOGY))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("'QuickStartWriter'");
    }

    @Test
    void withConfiguration_convergenceTimeoutStatusAndMaxSteps() {
        registerGlobally();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ExecutionConfig config = ExecutionConfig.builder()
                .convergenceTimeout(Duration.ofSeconds(300))
                .status(StatusConfig.fromVerbosity(Verbosity.NORMAL)
                        .withOut(new PrintStream(console, true, StandardCharsets.UTF_8)))
                .build();

        OrchestraResult result = Orchestra.run(
                "Complex research task",
                TOPOLOGY,
                RunOptions.builder().executionConfig(config).maxSteps(50).build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("QuickStartResearcher", "QuickStartWriter");
    }

    @Test
    void withConfiguration_maxStepsTooSmall_failsNamingTheLimit() {
        registerGlobally();

        OrchestraResult result = Orchestra.run(
                "Complex research task",
                TOPOLOGY,
                RunOptions.builder().maxSteps(1).build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("maxSteps (1) reached"));
    }
}
