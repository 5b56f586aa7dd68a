package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two callers answer the one question of a waiting session at the same moment. One of them continues the session in a
 * new leg; the other found that leg running and handed its answer to it, where the question was no longer pending:
 * the answer was dropped, yet its caller was given the leg's COMPLETED result, naming the other answer (found by trying
 * it: 188 of 200 rounds). One answer per question: the other caller gets a {@link SessionException}.
 */
final class ConcurrentAnswersTest {

    private static final int ROUNDS = 50;

    @Test
    void respond_twoAnswersAtOnce_exactlyOneIsTaken_theOtherCallerIsTold() throws Exception {
        Topology topology = TestTopologies.asking();
        AgentRegistry agents = AgentRegistry.create()
                .register(
                        "A",
                        r -> r.received() instanceof Input.Answer a
                                ? AgentResponse.finish("approved by " + a.text())
                                : AgentResponse.askUser("Who approves?"));
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .communicationConfig(CommunicationConfig.durable())
                .build()) {
            for (int round = 0; round < ROUNDS; round++) {
                String id = instance.execute("deploy").sessionId();
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Object>> calls = new ArrayList<>();
                for (String who : List.of("alice", "bob")) {
                    calls.add(callers.submit(() -> {
                        together.await();
                        try {
                            return instance.respond(id, who);
                        } catch (SessionException refused) {
                            return refused;
                        }
                    }));
                }
                List<OrchestraResult> taken = new ArrayList<>();
                List<SessionException> refused = new ArrayList<>();
                for (Future<Object> call : calls) {
                    Object outcome = call.get(20, TimeUnit.SECONDS);
                    if (outcome instanceof OrchestraResult result) {
                        taken.add(result);
                    } else {
                        refused.add((SessionException) outcome);
                    }
                }

                assertThat(taken)
                        .as("round %d: one answer continues the session", round)
                        .hasSize(1);
                assertThat(taken.getFirst().status()).isEqualTo(RunStatus.COMPLETED);
                assertThat(refused)
                        .as("round %d: the other caller is told", round)
                        .hasSize(1);
                assertThat(refused.getFirst().getMessage()).contains("session '" + id + "'");
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
