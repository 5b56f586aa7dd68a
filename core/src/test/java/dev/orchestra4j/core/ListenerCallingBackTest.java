package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.event.OrchestraEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An awaited listener ({@code awaitListeners(true)}) that answers its own session's question from inside {@code
 * onEvent}. The leg that asked waits for its awaited listeners before it lets the session go, and the listener's
 * respond waited for the session to be let go: both sat out the listener wait's 5 s bound (found by trying it). A
 * listener that calls back into the instance is no longer awaited from then on.
 *
 * <p>The 2 s bounds below only detect the wait (the run is a few milliseconds of work): nothing here sleeps.
 */
final class ListenerCallingBackTest {

    @Test
    void awaitedListener_answeringItsOwnSession_doesNotWaitForItself() throws Exception {
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        CompletableFuture<OrchestraResult> answered = new CompletableFuture<>();
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(TestTopologies.asking())
                .agents(AgentRegistry.create()
                        .register(
                                "A",
                                r -> r.received() instanceof Input.Answer a
                                        ? AgentResponse.finish("approved by " + a.text())
                                        : AgentResponse.askUser("Who approves?")))
                .communicationConfig(CommunicationConfig.durable())
                .awaitListeners(true)
                .listener(event -> {
                    if (event instanceof OrchestraEvent.UserQuestionAsked asked) {
                        try {
                            answered.complete(self.get().respond(asked.sessionId(), "alice"));
                        } catch (RuntimeException e) {
                            answered.completeExceptionally(e);
                        }
                    }
                })
                .build()) {
            self.set(instance);

            CompletableFuture<OrchestraResult> asking = CompletableFuture.supplyAsync(() -> instance.execute("deploy"));

            OrchestraResult first = asking.get(2, TimeUnit.SECONDS);
            OrchestraResult second = answered.get(2, TimeUnit.SECONDS);
            assertThat(first.status()).isIn(RunStatus.WAITING_FOR_USER, RunStatus.COMPLETED);
            assertThat(second.status()).as(second.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
            assertThat(second.finalResponse()).isEqualTo("approved by alice");
        }
    }
}
