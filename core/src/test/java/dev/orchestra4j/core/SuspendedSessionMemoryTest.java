package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.topology.Topology;
import java.lang.ref.WeakReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A suspended session keeps how its last leg ended (status, pending questions), not the leg's whole result: at 10,000
 * sessions waiting for their users that result was ≈ 500 B each of the ≤ 3.5 KB a suspended session may hold.
 */
final class SuspendedSessionMemoryTest {

    @Test
    void waitingForTheUser_instanceKeepsNoResult_andStillListsStatusAndPendingQuestions() throws Exception {
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edge("Start -> A")
                        .edge("A -> User")
                        .edge("A -> End")
                        .build())
                .agents(AgentRegistry.create().register("A", r -> AgentResponse.askUser("which one?")))
                .build();
        OrchestraResult result = instance.execute("t", Map.of("session_id", "waits"), 5);
        assertThat(result.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        WeakReference<OrchestraResult> kept = new WeakReference<>(result);
        result = null;

        for (int i = 0; i < 10 && kept.get() != null; i++) {
            System.gc(); // a full collection on HotSpot's collectors unless explicitly disabled
        }

        assertThat(kept.get())
                .as("the leg's result, once its caller dropped it")
                .isNull();
        assertThat(instance.listSessions()).singleElement().satisfies(info -> {
            assertThat(info.sessionId()).isEqualTo("waits");
            assertThat(info.lastStatus()).contains(RunStatus.WAITING_FOR_USER);
            assertThat(info.pendingQuestions()).isEqualTo(1);
            assertThat(info.running()).isFalse();
        });
        assertThat(instance.respond("waits", "this one").status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        instance.close();
    }
}
