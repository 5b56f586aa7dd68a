package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the README's 30-second example true: the same code, run. */
final class ReadmeExampleTest {

    @Test
    void readmeExample_runsAndPrintsBothAnswersInInvocationOrder() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Topology topology = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Researcher")
                .edge("Hub <-> Critic")
                .edge("Hub -> End")
                .build();

        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(
                                        Invocation.of("Researcher", r.input()), Invocation.of("Critic", r.input()))
                                : AgentResponse.finish(r.inputText()))
                .register("Researcher", r -> AgentResponse.finish("facts about " + r.input()))
                .register("Critic", r -> AgentResponse.finish("doubts about " + r.input()));

        OrchestraResult result = Orchestra.run(
                "graphene",
                topology,
                RunOptions.builder()
                        .agents(agents)
                        .executionConfig(ExecutionConfig.builder()
                                .status(StatusConfig.fromVerbosity(Verbosity.NORMAL)
                                        .withOut(new PrintStream(console, true, StandardCharsets.UTF_8)))
                                .build())
                        .build());

        assertThat(result.finalResponseAsText())
                .isEqualTo("[from Researcher]\nfacts about graphene\n\n[from Critic]\ndoubts about graphene");
        assertThat(result.toMermaid()).startsWith("sequenceDiagram").contains("Start->>Hub: start b1");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("[b1 Hub]")
                .contains("COMPLETED");
    }
}
