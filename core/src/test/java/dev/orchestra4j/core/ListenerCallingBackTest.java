package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.event.OrchestraEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * An awaited listener ({@code awaitListeners(true)}) that acts on its own session from inside {@code onEvent}: answers
 * the question it was told of, offers the answer, or cancels. The leg that asked waits for its awaited listeners
 * before it lets the session go, and the listener's call waited for the session to be let go (or for the ending leg to
 * say whether it took the answer): both sat out the listener wait's 5 s bound (found by trying it). A listener that
 * calls back into the instance is no longer awaited from then on.
 *
 * <p>The 2 s bounds below only detect the wait (the run is a few milliseconds of work): nothing here sleeps.
 */
final class ListenerCallingBackTest {

    /** A session that asks who approves and finishes with the answer; durable questions; listeners awaited. */
    private static OrchestraInstance.Builder askingWithAwaitedListeners() {
        return OrchestraInstance.builder()
                .topology(TestTopologies.asking())
                .agents(AgentRegistry.create()
                        .register(
                                "A",
                                r -> r.received() instanceof Input.Answer a
                                        ? AgentResponse.finish("approved by " + a.text())
                                        : AgentResponse.askUser("Who approves?")))
                .communicationConfig(CommunicationConfig.durable())
                .awaitListeners(true);
    }

    /** Runs a session that asks, with a listener calling {@code call} on the question; returns what both saw. */
    private static Outcome run(BiFunction<OrchestraInstance, OrchestraEvent.UserQuestionAsked, Object> call)
            throws Exception {
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        CompletableFuture<Object> called = new CompletableFuture<>();
        try (OrchestraInstance instance = askingWithAwaitedListeners()
                .listener(event -> {
                    if (event instanceof OrchestraEvent.UserQuestionAsked asked) {
                        try {
                            called.complete(call.apply(self.get(), asked));
                        } catch (RuntimeException e) {
                            called.completeExceptionally(e);
                        }
                    }
                })
                .build()) {
            self.set(instance);

            CompletableFuture<OrchestraResult> asking = CompletableFuture.supplyAsync(() -> instance.execute("deploy"));

            OrchestraResult first = asking.get(2, TimeUnit.SECONDS);
            return new Outcome(first, called.get(2, TimeUnit.SECONDS));
        }
    }

    private record Outcome(OrchestraResult run, Object listenerGot) {}

    @Test
    void awaitedListener_answeringItsOwnSession_doesNotWaitForItself() throws Exception {
        Outcome o = run((instance, asked) -> instance.respond(asked.sessionId(), "alice"));

        assertThat(o.run().status()).isIn(RunStatus.WAITING_FOR_USER, RunStatus.COMPLETED);
        OrchestraResult answered = (OrchestraResult) o.listenerGot();
        assertThat(answered.status()).as(answered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(answered.finalResponse()).isEqualTo("approved by alice");
    }

    @RepeatedTest(5) // the offer lands before, while or after the leg ends: each used to wait
    void awaitedListener_offeringTheAnswer_doesNotWaitForItself() throws Exception {
        Outcome o = run((instance, asked) -> instance.offerAnswer(asked.sessionId(), asked.interactionId(), "alice"));

        assertThat(o.listenerGot()).isInstanceOf(Boolean.class);
    }

    @Test
    void awaitedListener_cancellingItsOwnSession_doesNotWaitForItself() throws Exception {
        Outcome o = run((instance, asked) -> {
            instance.cancelSession(asked.sessionId());
            return "cancelled";
        });

        assertThat(o.listenerGot()).isEqualTo("cancelled");
        assertThat(o.run().status()).isIn(RunStatus.WAITING_FOR_USER, RunStatus.CANCELLED);
    }

    @Test
    void listenerAnsweringFromOnEvent_getsTheNextLegsEventsAfterItsCallReturns_oneAtATimeInOrder() throws Exception {
        AtomicReference<OrchestraInstance> self = new AtomicReference<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch completed = new CountDownLatch(1);
        try (OrchestraInstance instance = askingWithAwaitedListeners()
                .listener(event -> {
                    if (inside.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    try {
                        seen.add(
                                event instanceof OrchestraEvent.RunCompleted done
                                        ? "RunCompleted(" + done.status() + ")"
                                        : event.getClass().getSimpleName());
                        if (event instanceof OrchestraEvent.UserQuestionAsked asked) {
                            seen.add("respond returned "
                                    + self.get()
                                            .respond(asked.sessionId(), "alice")
                                            .status());
                        }
                        if (event instanceof OrchestraEvent.RunCompleted done && done.status() == RunStatus.COMPLETED) {
                            completed.countDown();
                        }
                    } finally {
                        inside.decrementAndGet();
                    }
                })
                .build()) {
            self.set(instance);

            instance.execute("deploy");

            assertThat(completed.await(2, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps)
                    .as("onEvent is never called while it runs: %s", seen)
                    .hasValue(0);
            assertThat(seen)
                    .as("the asking leg's events, then the answering leg's")
                    .containsSubsequence(
                            "UserQuestionAsked",
                            "respond returned COMPLETED",
                            "RunCompleted(WAITING_FOR_USER)",
                            "RunResumed",
                            "RunCompleted(COMPLETED)");
            assertThat(seen.getLast()).isEqualTo("RunCompleted(COMPLETED)");
        }
    }
}
