package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.core.user.UserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.ConcurrentSessionModificationException;
import dev.orchestra4j.state.ForwardingStorageBackend;
import dev.orchestra4j.state.StateException;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #11, point 2: an event becomes visible only once the state it describes is committed. A step whose commit
 * does not go through (another process fenced this one out, or storage failed) is run again by whoever recovers the
 * session, so no listener may have been told that it completed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class EventsAfterCommitTest {

    private final FailingBackend storage = new FailingBackend();
    private final List<OrchestraEvent> seen = new CopyOnWriteArrayList<>();

    /** Start → A → B → C → End; {@code failDuring} arms the failure of the next journal append while it runs. */
    private OrchestraInstance instance(String failDuring) {
        AgentRegistry agents = AgentRegistry.create();
        List<String> chain = List.of("A", "B", "C");
        for (int i = 0; i < chain.size(); i++) {
            String name = chain.get(i);
            AgentResponse response = i == chain.size() - 1
                    ? AgentResponse.finish("done")
                    : AgentResponse.handOff(chain.get(i + 1), name);
            agents.register(name, r -> {
                if (name.equals(failDuring)) {
                    storage.armed = true; // this step's commit is the next append
                }
                return response;
            });
        }
        return OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edge("Start -> A")
                        .edge("A -> B")
                        .edge("B -> C")
                        .edge("C -> End")
                        .build())
                .agents(agents)
                .stateManager(new StateManager(storage))
                .listener(seen::add)
                .awaitListeners(true) // every event is delivered before the run returns
                .build();
    }

    private List<String> completedAgents() {
        return seen.stream()
                .filter(e -> e instanceof OrchestraEvent.StepCompleted)
                .map(e -> ((OrchestraEvent.StepCompleted) e).agent())
                .toList();
    }

    @Test
    void stepWhoseCommitIsFencedOut_isNeverReportedCompleted() {
        storage.failure = () -> new ConcurrentSessionModificationException("sessions/fenced", 1, 2);

        OrchestraResult result = instance("B").execute("t", Map.of("session_id", "events-fenced"), 10);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(storage.failed).as("B's commit was refused").isEqualTo(1);
        assertThat(completedAgents())
                .as("A was committed; B's step was not, so the new owner runs it again")
                .containsExactly("A");
        assertThat(seen).last().isInstanceOfSatisfying(OrchestraEvent.RunCompleted.class, e -> assertThat(e.status())
                .isEqualTo(RunStatus.FAILED));
    }

    @Test
    void stepWhoseCommitHitAStorageError_isNeverReportedCompleted() {
        storage.failure = () -> new StateException("connection reset while appending");

        assertThatThrownBy(() -> instance("B").execute("t", Map.of("session_id", "events-storage"), 10))
                .hasMessageContaining("storage failed")
                .hasMessageContaining("connection reset while appending");

        assertThat(storage.failed).isEqualTo(1);
        assertThat(completedAgents()).containsExactly("A");
    }

    @Test
    void everyCommittedStep_isReported_inOrder() {
        OrchestraResult result = instance("none").execute("t", Map.of("session_id", "events-ok"), 10);

        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(storage.failed).isZero();
        assertThat(completedAgents()).containsExactly("A", "B", "C");
        assertThat(seen.getFirst()).isInstanceOf(OrchestraEvent.RunStarted.class);
        assertThat(seen.getLast()).isInstanceOf(OrchestraEvent.RunCompleted.class);
    }

    @Test
    void questionWhoseCommitIsFencedOut_isNeverPutToTheUserChannel() {
        storage.failure = () -> new ConcurrentSessionModificationException("sessions/asked", 1, 2);
        List<UserQuestion> asked = new CopyOnWriteArrayList<>();
        UserChannel channel = question -> {
            asked.add(question);
            return new CompletableFuture<>(); // never answered: the leg ends first
        };
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edge("Start -> A")
                        .edge("A -> B")
                        .edge("B -> User")
                        .edge("B -> End")
                        .build())
                .agents(AgentRegistry.create()
                        .register("A", r -> AgentResponse.handOff("B", "from A"))
                        .register("B", r -> {
                            storage.armed = true; // B's question is committed by the next append: refused
                            return AgentResponse.askUser("which colour?");
                        }))
                .stateManager(new StateManager(storage))
                .communicationConfig(CommunicationConfig.of(channel))
                .listener(seen::add)
                .awaitListeners(true)
                .build();

        OrchestraResult result = instance.execute("t", Map.of("session_id", "asked-fenced"), 10);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.isOwnershipLost()).isTrue();
        assertThat(storage.failed).isEqualTo(1);
        assertThat(asked)
                .as("the question was never stored, so the new owner asks it: asking here too would ask twice")
                .isEmpty();
        assertThat(seen).noneMatch(e -> e instanceof OrchestraEvent.UserQuestionAsked);
    }

    @Test
    void committedQuestion_isPutToTheUserChannel_andAnswered() throws InterruptedException {
        QueueUserChannel channel = new QueueUserChannel();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edge("Start -> B")
                        .edge("B -> User")
                        .edge("B -> End")
                        .build())
                .agents(AgentRegistry.create()
                        .register(
                                "B",
                                r -> "User".equals(r.from())
                                        ? AgentResponse.finish("picked " + r.input())
                                        : AgentResponse.askUser("which colour?")))
                .stateManager(new StateManager(storage))
                .communicationConfig(CommunicationConfig.of(channel))
                .build();
        CompletableFuture<OrchestraResult> run =
                CompletableFuture.supplyAsync(() -> instance.execute("t", Map.of("session_id", "asked-ok"), 10));

        UserQuestion question = channel.nextQuestion(Duration.ofSeconds(30)).orElseThrow();
        channel.submit(question.interactionId(), "blue");

        OrchestraResult result = run.join();
        assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("picked blue");
    }

    /** Fails the first session journal append after {@link #armed} is set, with {@link #failure}. */
    private static final class FailingBackend extends ForwardingStorageBackend {
        volatile boolean armed;
        volatile int failed;
        volatile java.util.function.Supplier<RuntimeException> failure = () -> new IllegalStateException("unset");

        FailingBackend() {
            super(StorageBackends.inMemory());
        }

        @Override
        public long appendJournal(String key, long expectedLastSequence, List<byte[]> entries) {
            if (armed && !key.startsWith("recordings/")) {
                armed = false;
                failed++;
                throw failure.get();
            }
            return super.appendJournal(key, expectedLastSequence, entries);
        }
    }
}
