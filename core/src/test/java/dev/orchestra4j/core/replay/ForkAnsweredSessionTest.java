package dev.orchestra4j.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.CommunicationConfig;
import dev.orchestra4j.core.Input;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A fork of a session whose first step asked the user stops at that question again (the recording holds no answers to
 * feed it yet). The answer the user gives the fork must be the one its agent sees: a step is copied from the recording
 * only when it takes the recorded input. It used to be copied whatever the input, so the fork answered "no" completed
 * with the recorded "yes".
 */
final class ForkAnsweredSessionTest {

    private final List<String> seenByA = new CopyOnWriteArrayList<>();
    private final AgentRegistry agents = AgentRegistry.create()
            .register("A", r -> {
                if (r.received() instanceof Input.Answer answer) {
                    seenByA.add(answer.text());
                    return AgentResponse.handOff("B", "ok " + answer.text());
                }
                return AgentResponse.askUser("approve?");
            })
            .register("B", r -> AgentResponse.finish(r.inputText() + " B"));

    @Test
    void fork_answeredDifferently_runsWithTheNewAnswer() {
        Topology topology = Topology.builder()
                .edge("Start -> A")
                .edge("A -> User")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .stateManager(StateManager.builder(StorageBackends.inMemory()).build())
                .communicationConfig(CommunicationConfig.durable())
                .build()) {
            instance.execute("go", Map.of("session_id", "asked"), 10);
            assertThat(instance.respond("asked", "yes").finalResponse()).isEqualTo("ok yes B");

            Replay fork = instance.fork("asked", 3, "asked-fork");
            assertThat(fork.result().status()).isEqualTo(RunStatus.WAITING_FOR_USER);

            assertThat(instance.respond("asked-fork", "no").finalResponse()).isEqualTo("ok no B");
        }
        assertThat(seenByA).containsExactly("yes", "no");
    }
}
