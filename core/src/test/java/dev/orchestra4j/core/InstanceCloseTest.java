package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.state.StoredValue;
import dev.orchestra4j.topology.Topology;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link OrchestraInstance#close()}: what runs is cancelled, and nothing runs in the instance afterwards. */
final class InstanceCloseTest {

    private static final Topology ASKS = Topology.builder()
            .edge("Start -> A")
            .edge("A -> User")
            .edge("A -> End")
            .build();

    private final AtomicInteger calls = new AtomicInteger();
    private final StorageBackend storage = StorageBackends.inMemory();

    /** A asks the user once, then finishes with the answer. */
    private AgentRegistry asking() {
        return AgentRegistry.create().register("A", r -> {
            calls.incrementAndGet();
            return r.received() instanceof Input.Answer answer
                    ? AgentResponse.finish("got " + answer.text())
                    : AgentResponse.askUser("which one?");
        });
    }

    private OrchestraInstance instance(StorageBackend backend) {
        return OrchestraInstance.builder()
                .topology(ASKS)
                .agents(asking())
                .stateManager(new StateManager(backend))
                .build();
    }

    @Test
    void execute_afterClose_failsNamingTheClosedInstanceAndRunsNoAgent() {
        OrchestraInstance instance = instance(storage);
        instance.close();

        assertThatThrownBy(() -> instance.execute("t"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OrchestraInstance is closed")
                .hasMessageContaining("execute");
        assertThatThrownBy(() -> instance.start("t", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start");
        assertThatThrownBy(() -> instance.createSession("t", Map.of("session_id", "never")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("createSession");
        assertThat(calls).hasValue(0);
        assertThat(new StateManager(storage).loadSession("never")).isEmpty();
    }

    @Test
    void respond_toASuspendedSessionAfterClose_isRefusedAndAnotherInstanceCanAnswerIt() {
        OrchestraInstance first = instance(storage);
        OrchestraResult waiting = first.execute("t", Map.of("session_id", "asks-1"), 10);
        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        first.close();

        assertThatThrownBy(() -> first.respond("asks-1", "this one"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("respond");
        assertThatThrownBy(() -> first.resumeSession("asks-1", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resumeSession");
        assertThatThrownBy(() -> first.recoverSession("asks-1", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recoverSession");
        assertThat(calls).hasValue(1);
        assertThat(new StateManager(storage).loadSession("asks-1").orElseThrow().status())
                .isEqualTo("WAITING_FOR_USER");

        OrchestraResult answered = instance(storage).respond("asks-1", "this one");

        assertThat(answered.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(answered.finalResponse()).isEqualTo("got this one");
    }

    @Test
    void listAndCancel_afterClose_stillWork_andClosingTwiceDoesNothingMore() {
        OrchestraInstance instance = instance(storage);
        instance.execute("t", Map.of("session_id", "asks-2"), 10);
        instance.close();
        instance.close();

        assertThat(instance.listSessions()).extracting(SessionInfo::sessionId).contains("asks-2");
        instance.cancelSession("asks-2");
        assertThat(new StateManager(storage).loadSession("asks-2").orElseThrow().status())
                .isEqualTo("CANCELLED");
    }

    @Test
    void close_cancelsASessionThatRuns() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder().edge("Start -> A").edge("A -> End").build())
                .agents(AgentRegistry.create().register("A", r -> {
                    inside.countDown();
                    never.await(); // interrupted by the cancel
                    return AgentResponse.finish("late");
                }))
                .build();
        SessionHandle handle = instance.start("t", Map.of());
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        instance.close();

        OrchestraResult result = handle.await();
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("the instance was closed"));
    }

    /**
     * A {@code start} that passed the closed check before {@code close()} and registered its session after close() had
     * looked at the running ones: the session must not run.
     */
    @Test
    void start_racingClose_sessionRegisteredAfterCloseLooked_neverRuns() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        StorageBackend slowRead = new ForwardingStorageBackend(storage) {
            @Override
            public Optional<StoredValue> read(String key) {
                if (key.contains("racing")) { // the new session looks up a stored one of its id (SessionContinuation)
                    reading.countDown();
                    try {
                        goOn.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.read(key);
            }
        };
        OrchestraInstance instance = instance(slowRead);
        CompletableFuture<Throwable> starting = CompletableFuture.supplyAsync(() -> {
            try {
                instance.start("t", Map.of("session_id", "racing")).await();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

        instance.close(); // sees no session yet
        goOn.countDown();

        assertThat(starting.get(10, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OrchestraInstance is closed")
                .hasMessageContaining("racing");
        assertThat(calls).hasValue(0);
        assertThat(instance.listSessions()).extracting(SessionInfo::sessionId).doesNotContain("racing");
    }

    @Test
    void close_cancelsAReplayInFlight_andRefusesTheNext() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean replaying = new java.util.concurrent.atomic.AtomicBoolean();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder().edge("Start -> A").edge("A -> End").build())
                .agents(AgentRegistry.create().register("A", r -> {
                    if (replaying.get()) {
                        inside.countDown();
                        never.await(); // interrupted by the cancel
                    }
                    return AgentResponse.finish("done");
                }))
                .stateManager(new StateManager(storage))
                .build();
        assertThat(instance.execute("t", Map.of("session_id", "recorded"), 5).status())
                .isEqualTo(RunStatus.COMPLETED);
        replaying.set(true);
        CompletableFuture<OrchestraResult> replay =
                CompletableFuture.supplyAsync(() -> instance.replay("recorded").result());
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        instance.close();

        OrchestraResult result = replay.get(10, TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("the instance was closed"));
        assertThatThrownBy(() -> instance.replay("recorded"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replay");
    }
}
