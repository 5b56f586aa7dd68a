package dev.orchestra4j.core.user;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.topology.Topology;

/**
 * A whole Orchestra session on the real terminal for {@link TerminalUserChannelTmuxTest}: the Researcher asks the
 * user which topic to research, the typed answer resumes the Researcher, which finishes the run.
 */
final class TerminalSessionProgram {

    private TerminalSessionProgram() {}

    public static void main(String[] args) {
        Topology topology = Topology.builder()
                .edge("Start -> Researcher")
                .edge("Researcher -> User")
                .edge("Researcher -> End")
                .build();
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "Researcher",
                        r -> "User".equals(r.from())
                                ? AgentResponse.finish("researching " + r.input())
                                : AgentResponse.askUser("Which topic should I research?"));
        try (TerminalUserChannel channel = new TerminalUserChannel()) {
            OrchestraResult result = Orchestra.run(
                    "research",
                    topology,
                    RunOptions.builder()
                            .agents(agents)
                            .communicationConfig(CommunicationConfig.of(channel))
                            .build());
            System.out.println("final answer: " + result.finalResponse() + " (" + result.status() + ")");
        }
    }
}
