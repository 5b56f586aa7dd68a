package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.AuthenticationException;
import dev.orchestra4j.core.user.QueueUserChannel;
import dev.orchestra4j.core.user.UserQuestion;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackend;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The User node (SPEC §4.6, §4.7): Retry / Skip / Abort after a failure, questions, their timeouts and durability. */
final class UserInteractionTest {

    /**
     * The legacy (MARSYS) form: the user talks to Other first ({@code User -> Other} makes Other the entry), Other hands
     * to A, and A may ask the user. An answer to A must resume A, never "User's first successor" Other.
     */
    private static final Topology ASKER = Topology.fromMap(Map.of(
            "agents", List.of("Other", "A"),
            "flows", List.of("User -> Other", "Other -> A", "A -> User"),
            "exit_points", List.of("A")));

    private final AgentRegistry agents = AgentRegistry.create();
    private final QueueUserChannel channel = new QueueUserChannel();
    private final MutableClock clock = MutableClock.atEpoch();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger otherCalls = new AtomicInteger();

    UserInteractionTest() {
        agents.register("Other", r -> {
            otherCalls.incrementAndGet();
            return "User".equals(r.from())
                    ? AgentResponse.finish("wrong agent resumed")
                    : AgentResponse.handOff("A", r.input());
        });
    }

    private SessionHandle start(Topology topology, ExecutionConfig execution) {
        return OrchestraInstance.builder()
                .topology(topology)
                .agents(agents)
                .executionConfig(execution)
                .errorConfig(
                        ErrorHandlingConfig.builder().baseDelay(Duration.ZERO).build())
                .communicationConfig(CommunicationConfig.of(channel))
                .clock(clock)
                .build()
                .start("the task", Map.of());
    }

    private SessionHandle start(Topology topology) {
        return start(topology, ExecutionConfig.defaults());
    }

    private UserQuestion nextQuestion() throws InterruptedException {
        Optional<UserQuestion> next = channel.nextQuestion(Duration.ofSeconds(10));
        assertThat(next).as("a question reaches the channel").isPresent();
        return next.get();
    }

    private static OrchestraResult await(SessionHandle handle) throws Exception {
        return handle.result().get(10, TimeUnit.SECONDS);
    }

    /** Fails (permanently) on its first attempt, then finishes. */
    private Agent failsOnceThenFinishes() {
        return r -> {
            if (attempts.incrementAndGet() == 1) {
                throw new AuthenticationException("401 invalid api key");
            }
            return AgentResponse.finish("done on attempt " + r.attempt());
        };
    }

    @Test
    void errorDecision_retry_rerunsTheFailedAgentWhichSucceeds() throws Exception {
        agents.register("A", failsOnceThenFinishes());
        SessionHandle handle = start(ASKER);

        UserQuestion question = nextQuestion();
        channel.submit(question.interactionId(), "Retry");
        OrchestraResult result = await(handle);

        assertThat(question.kind()).isEqualTo(UserQuestion.Kind.ERROR_DECISION);
        assertThat(question.agent()).isEqualTo("A");
        assertThat(question.options()).containsExactly("retry", "skip", "abort");
        assertThat(question.question()).contains("'A'").contains("AUTHENTICATION");
        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("done on attempt 2");
        assertThat(otherCalls).hasValue(1);
    }

    static Stream<ConvergencePolicy> policies() {
        return Stream.of(ConvergencePolicy.STRICT, ConvergencePolicy.MAJORITY, ConvergencePolicy.ANY);
    }

    @ParameterizedTest
    @MethodSource("policies")
    void errorDecision_skipInAFork_parentProceedsWithoutTheSkippedBranch(ConvergencePolicy policy) throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Good")
                .edge("Hub <-> Bad")
                .edge("Bad -> User")
                .edge("Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Good", 1), Invocation.of("Bad", 2))
                                : AgentResponse.finish(r.arrivals().stream()
                                        .map(a -> a.agent() + "=" + a.value())
                                        .toList()))
                .register("Good", r -> AgentResponse.finish("good"))
                .register("Bad", r -> {
                    throw new AuthenticationException("401");
                });
        SessionHandle handle =
                start(t, ExecutionConfig.builder().convergencePolicy(policy).build());

        UserQuestion question = nextQuestion();
        channel.submit(question.interactionId(), "skip");
        OrchestraResult result = await(handle);

        assertThat(question.agent()).isEqualTo("Bad");
        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo(List.of("Good=good"));
        assertThat(result.branchResults())
                .anySatisfy(b -> assertThat(b.status()).isEqualTo(BranchStatus.ABANDONED));
    }

    @Test
    void errorDecision_abort_failsTheRunNamingTheAgentAndTheError() throws Exception {
        agents.register("A", failsOnceThenFinishes());
        SessionHandle handle = start(ASKER);

        channel.submit(nextQuestion().interactionId(), "abort");
        OrchestraResult result = await(handle);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("'A'").contains("401 invalid api key"));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void errorDecision_unclearAnswers_areAskedAgainWithTheHintOnce() throws Exception {
        agents.register("A", failsOnceThenFinishes());
        SessionHandle handle = start(ASKER);

        UserQuestion first = nextQuestion();
        channel.submit(first.interactionId(), "maybe");
        UserQuestion second = nextQuestion();
        channel.submit(second.interactionId(), "sure");
        UserQuestion third = nextQuestion();
        channel.submit(third.interactionId(), "r");
        OrchestraResult result = await(handle);

        assertThat(second.question()).isEqualTo("Please answer retry, skip or abort.\n" + first.question());
        assertThat(third.question()).isEqualTo(second.question());
        assertThat(third.kind()).isEqualTo(UserQuestion.Kind.ERROR_DECISION);
        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(attempts).hasValue(2);
    }

    @Test
    void errorDecision_retryAfterSteeringRanOut_agentMayBeSteeredAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        agents.register("A", r -> {
            int call = calls.incrementAndGet();
            // steeringRetries = 1: calls 1 and 2 are invalid, then the user retries; call 3 is invalid, call 4 good
            return call == 4 ? AgentResponse.finish("finally") : AgentResponse.handOff("Nobody", "x");
        });
        SessionHandle handle =
                start(ASKER, ExecutionConfig.builder().steeringRetries(1).build());

        UserQuestion decision = nextQuestion();
        channel.submit(decision.interactionId(), "retry");
        OrchestraResult result = await(handle);

        assertThat(decision.question()).contains("VALIDATION").contains("Nobody");
        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("finally");
        assertThat(channel.pending()).isEmpty();
        assertThat(calls).hasValue(4);
    }

    /** Asks once, then finishes with what the user answered and who sent it. */
    private Agent askingColour() {
        return r -> {
            if ("Other".equals(r.from())) {
                return AgentResponse.askUser("Which colour?");
            }
            return AgentResponse.finish("colour=" + r.input() + " from " + r.from());
        };
    }

    @Test
    void askUser_answer_resumesTheAskingAgentNotTheUsersSuccessor() throws Exception {
        agents.register("A", askingColour());
        SessionHandle handle = start(ASKER);

        UserQuestion question = nextQuestion();
        channel.submit(question.interactionId(), "blue");
        OrchestraResult result = await(handle);

        assertThat(question.kind()).isEqualTo(UserQuestion.Kind.QUESTION);
        assertThat(question.agent()).isEqualTo("A");
        assertThat(question.question()).isEqualTo("Which colour?");
        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("colour=blue from User");
        assertThat(otherCalls).hasValue(1);
    }

    @Test
    void askUser_noAnswerWithinUserInteractionTimeout_failsTheRunNamingTheTimeout() throws Exception {
        agents.register("A", askingColour());
        SessionHandle handle = start(
                ASKER,
                ExecutionConfig.builder()
                        .userInteractionTimeout(Duration.ofMinutes(1))
                        .build());

        UserQuestion question = nextQuestion();
        clock.advance(Duration.ofSeconds(61));
        OrchestraResult result = await(handle);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(
                        e -> assertThat(e).contains("userInteractionTimeout").contains("'A'"));
        assertThat(result.metrics().timeouts()).isEqualTo(1);
        assertThat(channel.pending()).isEmpty();
        assertThat(channel.submit(question.interactionId(), "too late")).isFalse();
    }

    @Test
    void errorDecision_noAnswerWithinUserInteractionTimeout_failsTheRunNamingTimeoutAndFailure() throws Exception {
        agents.register("A", failsOnceThenFinishes());
        SessionHandle handle = start(
                ASKER,
                ExecutionConfig.builder()
                        .userInteractionTimeout(Duration.ofMinutes(1))
                        .build());

        nextQuestion();
        clock.advance(Duration.ofSeconds(61));
        OrchestraResult result = await(handle);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(
                        e -> assertThat(e).contains("userInteractionTimeout").contains("401 invalid api key"));
        assertThat(attempts).hasValue(1);
        assertThat(channel.pending()).isEmpty();
    }

    @Test
    void askUser_channelThrows_failsTheBranchWithTheChannelsErrorInsteadOfCrashingTheEngine() throws Exception {
        agents.register("A", askingColour());
        dev.orchestra4j.core.user.UserChannel broken = q -> {
            throw new IllegalStateException("terminal closed");
        };
        OrchestraResult result = OrchestraInstance.builder()
                .topology(ASKER)
                .agents(agents)
                .communicationConfig(CommunicationConfig.of(broken))
                .build()
                .start("the task", Map.of())
                .result()
                .get(10, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("'A'")
                .contains("user channel failed")
                .contains("terminal closed")
                .doesNotContain("internal engine error"));
    }

    @Test
    void askUser_twoParallelQuestionsAnsweredInReverse_eachAnswerReachesItsAsker() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Left")
                .edge("Hub <-> Right")
                .edge("Left -> User")
                .edge("Right -> User")
                .edge("Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Left", 1), Invocation.of("Right", 2))
                                : AgentResponse.finish(r.arrivals().stream()
                                        .map(a -> a.agent() + ":" + a.value())
                                        .toList()))
                .register("Left", asker("Left"))
                .register("Right", asker("Right"));
        SessionHandle handle = start(t);

        List<UserQuestion> questions = new ArrayList<>(List.of(nextQuestion(), nextQuestion()));
        java.util.Collections.reverse(questions);
        for (UserQuestion q : questions) {
            channel.submit(q.interactionId(), "answer for " + q.agent());
        }
        OrchestraResult result = await(handle);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse())
                .isEqualTo(List.of("Left:Left got answer for Left", "Right:Right got answer for Right"));
    }

    private static Agent asker(String name) {
        return r -> "User".equals(r.from())
                ? AgentResponse.finish(name + " got " + r.input())
                : AgentResponse.askUser(name + " asks");
    }

    @Test
    void askUser_sessionPausedWhileWaiting_resumedSessionAsksAgainAndTheAnswerReachesTheAsker() throws Exception {
        agents.register("A", askingColour());
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(ASKER)
                .agents(agents)
                .communicationConfig(CommunicationConfig.of(channel))
                .build();
        SessionHandle handle = instance.start("the task", Map.of("session_id", "paused-question"));
        UserQuestion asked = nextQuestion();
        assertThat(instance.pauseSession("paused-question", "deploy")).isTrue();
        OrchestraResult paused = await(handle);

        CompletableFuture<OrchestraResult> resumed =
                CompletableFuture.supplyAsync(() -> instance.resumeSession("paused-question", Map.of()));
        UserQuestion askedAgain = nextQuestion();
        List<UserQuestion> pendingInChannel = channel.pending();
        channel.submit(askedAgain.interactionId(), "violet");
        OrchestraResult result = resumed.get(10, TimeUnit.SECONDS);

        assertThat(paused.status()).isEqualTo(RunStatus.PAUSED);
        assertThat(askedAgain.interactionId()).isEqualTo(asked.interactionId());
        assertThat(pendingInChannel).containsExactly(askedAgain);
        assertThat(result.status()).as(result.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(result.finalResponse()).isEqualTo("colour=violet from User");
    }

    private OrchestraInstance durableInstance(StorageBackend storage, CommunicationConfig communication) {
        return OrchestraInstance.builder()
                .topology(ASKER)
                .agents(agents)
                .communicationConfig(communication)
                .stateManager(new StateManager(storage))
                .build();
    }

    @Test
    void durableQuestion_withoutChannel_waitsForUserAndRespondContinuesTheSession() {
        agents.register("A", askingColour());
        OrchestraInstance instance = durableInstance(StorageBackends.inMemory(), CommunicationConfig.none());

        OrchestraResult waiting = instance.execute("the task", Map.of("session_id", "durable-1"), 20);
        OrchestraResult answered = instance.respond("durable-1", "green");

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(waiting.pendingQuestions()).singleElement().satisfies(q -> {
            assertThat(q.agent()).isEqualTo("A");
            assertThat(q.question()).isEqualTo("Which colour?");
        });
        assertThat(answered.status()).as(answered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(answered.finalResponse()).isEqualTo("colour=green from User");
        assertThat(answered.pendingQuestions()).isEmpty();
        assertThat(otherCalls).hasValue(1);
    }

    @Test
    void durableWithChannel_questionSuspendsAndNeverReachesTheLiveChannel() {
        agents.register("A", askingColour());
        OrchestraInstance instance = durableInstance(StorageBackends.inMemory(), CommunicationConfig.durable(channel));

        OrchestraResult waiting = instance.execute("the task", Map.of("session_id", "durable-ch"), 20);

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(channel.pending()).as("the live channel was not asked").isEmpty();
        assertThat(instance.respond("durable-ch", "teal").finalResponse()).isEqualTo("colour=teal from User");
    }

    @Test
    void durableQuestion_answeredThroughARebuiltInstance_continuesWhereItStopped() {
        StorageBackend storage = StorageBackends.inMemory();
        AtomicReference<Object> firstInput = new AtomicReference<>();
        agents.register("A", r -> {
            if ("Other".equals(r.from())) {
                firstInput.set(r.input());
                r.memory().add(dev.langchain4j.data.message.AiMessage.from("asked for a colour"));
                return AgentResponse.askUser("Which colour?");
            }
            return AgentResponse.finish(
                    "colour=" + r.input() + " after " + r.memory().size() + " message(s)");
        });
        OrchestraInstance first = durableInstance(storage, CommunicationConfig.durable());
        OrchestraResult waiting = first.execute("the task", Map.of("session_id", "durable-2"), 20);
        first.close();

        OrchestraInstance second = durableInstance(storage, CommunicationConfig.durable());
        OrchestraResult answered = second.respond("durable-2", "red");

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(firstInput.get()).isEqualTo("the task");
        assertThat(answered.status()).as(answered.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(answered.finalResponse()).isEqualTo("colour=red after 1 message(s)");
        assertThat(answered.agentInvocationCount("A")).isEqualTo(2);
        assertThat(otherCalls).hasValue(1);
    }

    @Test
    void durableQuestions_twoParallelAnsweredInReverseByInteractionId_eachReachesItsAsker() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Left")
                .edge("Hub <-> Right")
                .edge("Left -> User")
                .edge("Right -> User")
                .edge("Hub -> End")
                .build();
        agents.register(
                        "Hub",
                        r -> r.arrivals().isEmpty()
                                ? AgentResponse.parallel(Invocation.of("Left", 1), Invocation.of("Right", 2))
                                : AgentResponse.finish(r.arrivals().stream()
                                        .map(a -> a.agent() + ":" + a.value())
                                        .toList()))
                .register("Left", asker("Left"))
                .register("Right", asker("Right"));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .communicationConfig(CommunicationConfig.none())
                .stateManager(new StateManager(StorageBackends.inMemory()))
                .build();

        OrchestraResult waiting = instance.execute("the task", Map.of("session_id", "durable-3"), 20);
        UserQuestion oldest = waiting.pendingQuestions().getFirst();
        UserQuestion newest = waiting.pendingQuestions().getLast();
        OrchestraResult stillWaiting =
                instance.respond("durable-3", newest.interactionId(), "answer for " + newest.agent());
        OrchestraResult done = instance.respond("durable-3", "answer for " + oldest.agent());

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(waiting.pendingQuestions())
                .extracting(UserQuestion::agent)
                .containsExactlyInAnyOrder("Left", "Right");
        assertThat(stillWaiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(stillWaiting.pendingQuestions()).containsExactly(oldest);
        assertThat(done.status()).as(done.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.finalResponse())
                .isEqualTo(List.of("Left:Left got answer for Left", "Right:Right got answer for Right"));
    }

    @Test
    void durableErrorDecision_respondRetry_rerunsTheFailedAgent() {
        agents.register("A", failsOnceThenFinishes());
        OrchestraInstance instance = durableInstance(StorageBackends.inMemory(), CommunicationConfig.none());

        OrchestraResult waiting = instance.execute("the task", Map.of("session_id", "durable-4"), 20);
        OrchestraResult done = instance.respond("durable-4", "retry");

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(waiting.pendingQuestions()).singleElement().satisfies(q -> assertThat(q.kind())
                .isEqualTo(UserQuestion.Kind.ERROR_DECISION));
        assertThat(done.status()).as(done.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.finalResponse()).isEqualTo("done on attempt 2");
    }

    @Test
    void durableQuestions_bothAnsweredAtTheSameMoment_oneCoordinatorTakesBothAndTheRunCompletesOnce() throws Exception {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> Left")
                .edge("Hub <-> Right")
                .edge("Left -> User")
                .edge("Right -> User")
                .edge("Hub -> End")
                .build();
        AtomicInteger hubCalls = new AtomicInteger();
        agents.register("Hub", r -> {
                    hubCalls.incrementAndGet();
                    return r.arrivals().isEmpty()
                            ? AgentResponse.parallel(Invocation.of("Left", 1), Invocation.of("Right", 2))
                            : AgentResponse.finish(r.arrivals().stream()
                                    .map(a -> a.agent() + ":" + a.value())
                                    .toList());
                })
                .register("Left", asker("Left"))
                .register("Right", asker("Right"));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .communicationConfig(CommunicationConfig.none())
                .build();

        for (int round = 0; round < 20; round++) {
            hubCalls.set(0);
            String id = "race-answers-" + round;
            OrchestraResult waiting = instance.execute("task", Map.of("session_id", id), 20);
            assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<CompletableFuture<OrchestraResult>> answers = waiting.pendingQuestions().stream()
                    .map(q -> CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    go.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                return instance.respond(id, q.interactionId(), "answer for " + q.agent());
                            },
                            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()))
                    .toList();
            go.countDown();

            List<OrchestraResult> results = answers.stream()
                    .map(f -> f.orTimeout(20, TimeUnit.SECONDS).join())
                    .toList();

            assertThat(results).as("round %d", round).anySatisfy(r -> {
                assertThat(r.status()).as(r.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
                assertThat(r.finalResponse())
                        .isEqualTo(List.of("Left:Left got answer for Left", "Right:Right got answer for Right"));
            });
            assertThat(hubCalls)
                    .as("round %d: the hub forks once and joins once", round)
                    .hasValue(2);
        }
    }

    @Test
    void invokeUser_withText_asksExactlyThatTextAndReplyWithAUserEdgeGoesToTheOtherEdge() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> User")
                .edge("A -> B")
                .edge("B -> User")
                .edge("B -> End")
                .build();
        agents.register("A", r -> AgentResponse.reply("for B"))
                .register(
                        "B",
                        r -> "User".equals(r.from())
                                ? AgentResponse.finish("B got " + r.input())
                                : AgentResponse.handOff("User", "Which colour?\nRed or blue"));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .communicationConfig(CommunicationConfig.none())
                .build();

        OrchestraResult waiting = instance.execute("task", Map.of("session_id", "user-text"), 20);

        assertThat(waiting.status()).as(waiting.error().orElse("")).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(waiting.pendingQuestions()).singleElement().satisfies(q -> assertThat(q.question())
                .isEqualTo("Which colour?\nRed or blue"));
        OrchestraResult done = instance.respond("user-text", "red");
        assertThat(done.finalResponse()).isEqualTo("B got red");
    }
}
