package dev.orchestra4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import dev.orchestra4j.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Error handling through the engine (SPEC §4.6): retries per category, Retry-After, and {@code [on error]} routes. */
final class ErrorHandlingTest {

    private static final Topology LINE =
            Topology.builder().edge("Start -> A").edge("A -> End").build();
    private static final Topology WITH_HANDLER = Topology.builder()
            .edge("Start -> A")
            .edge("A -> End")
            .edge("A -> Fixer [on error]")
            .edge("Fixer -> End")
            .build();
    private static final ErrorHandlingConfig NO_WAIT =
            ErrorHandlingConfig.builder().baseDelay(Duration.ZERO).build();

    private final AgentRegistry agents = AgentRegistry.create();
    private final AtomicInteger attempts = new AtomicInteger();
    private final MutableClock clock = MutableClock.atEpoch();
    private final LinkedBlockingQueue<OrchestraEvent> events = new LinkedBlockingQueue<>();

    private static ErrorHandlingConfig noWait(int maxRetries) {
        return ErrorHandlingConfig.builder()
                .baseDelay(Duration.ZERO)
                .maxRetries(maxRetries)
                .build();
    }

    private OrchestraResult run(Topology topology, ErrorHandlingConfig errors) {
        return Orchestra.run(
                "the task",
                topology,
                RunOptions.builder().agents(agents).errorConfig(errors).build());
    }

    /** Fails with {@code error} on the first attempt, then finishes with "done". */
    private Agent failingOnce(Exception error) {
        return r -> {
            if (attempts.incrementAndGet() == 1) {
                throw error;
            }
            return AgentResponse.finish("done on attempt " + r.attempt());
        };
    }

    private Agent alwaysFailing(Exception error) {
        return r -> {
            attempts.incrementAndGet();
            throw error;
        };
    }

    private <E extends OrchestraEvent> E awaitEvent(Class<E> type) throws InterruptedException {
        while (true) {
            OrchestraEvent event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("waiting for a %s event", type.getSimpleName()).isNotNull();
            if (type.isInstance(event)) {
                return type.cast(event);
            }
        }
    }

    static Stream<Exception> rateLimitsAskingForSevenSeconds() {
        return Stream.of(
                new RateLimitException("Rate limit reached for requests. Retry-After: 7"),
                new HttpException(429, "{\"error\":\"too many requests\"} Retry-After: 7 (seconds)"));
    }

    @ParameterizedTest
    @MethodSource("rateLimitsAskingForSevenSeconds")
    void retry_rateLimitWithRetryAfter_runsAgainExactlySevenSecondsLater(Exception rateLimit) throws Exception {
        agents.register("A", failingOnce(rateLimit));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(LINE)
                .agents(agents)
                .errorConfig(ErrorHandlingConfig.builder().build())
                .stateManager(new StateManager(StorageBackends.inMemory()))
                .clock(clock)
                .listener(events::add)
                .build();
        SessionHandle handle = instance.start("the task", Map.of("session_id", "retry-after"));

        OrchestraEvent.RetryScheduled scheduled = awaitEvent(OrchestraEvent.RetryScheduled.class);
        clock.advance(Duration.ofMillis(6_999));
        coordinatorTurnsOnce(instance, "retry-after");
        int attemptsBeforeSevenSeconds = attempts.get();
        clock.advance(Duration.ofMillis(1));
        OrchestraResult result = handle.result().get(10, TimeUnit.SECONDS);

        assertThat(scheduled.category()).isEqualTo(ErrorCategory.RATE_LIMIT);
        assertThat(scheduled.delay()).isEqualTo(Duration.ofSeconds(7));
        assertThat(attemptsBeforeSevenSeconds).isEqualTo(1);
        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("done on attempt 2");
        assertThat(result.metrics().retries()).isEqualTo(1);
        OrchestraEvent.StepStarted second = awaitStepStarted(2);
        assertThat(second.timestamp()).isEqualTo(scheduled.timestamp().plusSeconds(7));
    }

    private OrchestraEvent.StepStarted awaitStepStarted(int attempt) throws InterruptedException {
        while (true) {
            OrchestraEvent.StepStarted started = awaitEvent(OrchestraEvent.StepStarted.class);
            if (started.attempt() == attempt) {
                return started;
            }
        }
    }

    /**
     * Two checkpoints in a row: the second is taken only after the coordinator went once more through its loop
     * (deadlines checked with the current clock, runnable branches dispatched), so a retry that were due has started.
     */
    private static void coordinatorTurnsOnce(OrchestraInstance instance, String sessionId) {
        instance.createCheckpoint(sessionId, "turn-1");
        instance.createCheckpoint(sessionId, "turn-2");
    }

    @Test
    void retry_authenticationFailure_isNotRetriedAndFailsTheRun() {
        agents.register("A", alwaysFailing(new AuthenticationException("401 Unauthorized: invalid api key")));

        OrchestraResult result = run(LINE, NO_WAIT);

        assertThat(attempts).hasValue(1);
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.metrics().retries()).isZero();
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("'A'").contains("AUTHENTICATION"));
    }

    record Order(String item, int qty) {}

    @Test
    void retry_inputJsonCannotConvert_isValidationAndNotRetried() {
        // Jackson's exceptions are IOExceptions: this one was taken for a network failure and retried three times
        agents.register("A", r -> {
            attempts.incrementAndGet();
            return AgentResponse.finish(r.input(Order.class));
        });

        OrchestraResult result = Orchestra.run(
                "two apples please", LINE, RunOptions.builder().agents(agents).build());

        assertThat(attempts).hasValue(1);
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.metrics().retries()).isZero();
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("agent 'A' failed on ")
                .contains("(attempt 1, VALIDATION): IllegalArgumentException: cannot convert input of agent 'A'")
                .contains(Order.class.getName()));
    }

    @Test
    void retry_persistentRateLimit_stopsAfterMaxRetries() {
        agents.register("A", alwaysFailing(new RateLimitException("slow down")));

        OrchestraResult result = run(LINE, noWait(2));

        assertThat(attempts).hasValue(3);
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.metrics().retries()).isEqualTo(2);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("attempt 3").contains("RATE_LIMIT"));
    }

    @Test
    void retry_failedAttemptAppendedToMemory_retrySeesMemoryAsBefore() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A <-> B")
                .edge("A -> End")
                .build();
        AtomicReference<List<ChatMessage>> memoryOnRetry = new AtomicReference<>();
        agents.register("A", r -> {
                    attempts.incrementAndGet();
                    if (r.from() != null && r.from().equals("Start")) {
                        r.memory().add(UserMessage.from("kept from the first visit"));
                        return AgentResponse.handOff("B", "check");
                    }
                    if (r.attempt() == 1) {
                        r.memory().add(UserMessage.from("written by a failing attempt"));
                        throw new RateLimitException("slow down");
                    }
                    memoryOnRetry.set(List.copyOf(r.memory()));
                    return AgentResponse.finish("ok");
                })
                .register("B", r -> AgentResponse.handOff("A", "checked"));

        OrchestraResult result = run(t, NO_WAIT);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(attempts).hasValue(3);
        assertThat(memoryOnRetry.get()).containsExactly(UserMessage.from("kept from the first visit"));
    }

    @Test
    void errorEdge_retriesExhausted_handlerGetsTheErrorContextAndRecoversTheRun() {
        AtomicReference<java.util.Optional<ErrorContext>> seen = new AtomicReference<>();
        agents.register("A", alwaysFailing(new RateLimitException("slow down"))).register("Fixer", r -> {
            seen.set(r.error());
            return AgentResponse.finish("recovered from " + r.from());
        });

        OrchestraResult result = run(WITH_HANDLER, noWait(1));

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isEqualTo("recovered from A");
        assertThat(attempts).hasValue(2);
        assertThat(seen.get()).hasValueSatisfying(context -> {
            assertThat(context.category()).isEqualTo(ErrorCategory.RATE_LIMIT);
            assertThat(context.message()).contains("slow down");
            assertThat(context.failedAgent()).isEqualTo("A");
            assertThat(context.attempt()).isEqualTo(2);
            assertThat(context.input()).isEqualTo("the task");
        });
        assertThat(result.executionTrace())
                .anySatisfy(s -> assertThat(s.action()).isEqualTo(TraceStep.Action.ERROR_ROUTE));
    }

    @Test
    void errorEdge_withoutPreservedContext_handlerGetsNoErrorContext() {
        AtomicReference<java.util.Optional<ErrorContext>> seen = new AtomicReference<>();
        agents.register("A", alwaysFailing(new IllegalStateException("boom"))).register("Fixer", r -> {
            seen.set(r.error());
            return AgentResponse.finish("recovered");
        });

        OrchestraResult result = run(
                WITH_HANDLER,
                ErrorHandlingConfig.builder().preserveErrorContext(false).build());

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(seen.get()).isEmpty();
    }

    @Test
    void errorEdge_routingDisabled_edgeIsIgnoredAndTheRunFails() {
        AtomicInteger fixerCalls = new AtomicInteger();
        agents.register("A", alwaysFailing(new IllegalStateException("boom"))).register("Fixer", r -> {
            fixerCalls.incrementAndGet();
            return AgentResponse.finish("recovered");
        });

        OrchestraResult result = run(
                WITH_HANDLER,
                ErrorHandlingConfig.builder().enableErrorRouting(false).build());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error())
                .hasValueSatisfying(e -> assertThat(e).contains("'A'").contains("boom"));
        assertThat(fixerCalls).hasValue(0);
        assertThat(result.wasAgentInvoked("Fixer")).isFalse();
    }

    @Test
    void errorEdge_toEnd_endsTheRunWithTheFailureAsItsResult() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .edge("A -> End [on error]")
                .build();
        agents.register("A", alwaysFailing(new IllegalStateException("boom")))
                .register("B", r -> AgentResponse.finish("not reached"));

        OrchestraResult result = run(t, NO_WAIT);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(result.finalResponse()).isInstanceOfSatisfying(ErrorContext.class, context -> {
            assertThat(context.failedAgent()).isEqualTo("A");
            assertThat(context.message()).contains("boom");
        });
        assertThat(result.wasAgentInvoked("B")).isFalse();
    }

    @Test
    void errorEdge_toUser_asksRetrySkipOrAbort() {
        Topology t = Topology.builder()
                .edge("Start -> A")
                .edge("A -> End")
                .edge("A -> User [on error]")
                .build();
        agents.register("A", failingOnce(new IllegalStateException("boom")));
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(t)
                .agents(agents)
                .errorConfig(NO_WAIT)
                .communicationConfig(CommunicationConfig.none())
                .build();

        OrchestraResult waiting = instance.execute("the task", Map.of("session_id", "error-to-user"), 20);
        OrchestraResult done = instance.respond("error-to-user", "retry");

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
        assertThat(waiting.pendingQuestions()).singleElement().satisfies(q -> {
            assertThat(q.kind()).isEqualTo(dev.orchestra4j.core.user.UserQuestion.Kind.ERROR_DECISION);
            assertThat(q.question()).contains("'A'").contains("boom");
        });
        assertThat(done.status()).as(done.error().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.finalResponse()).isEqualTo("done on attempt 2");
    }

    @Test
    void errorEdge_fromForkChildBackToItsHub_hubGetsTheFailureAmongItsArrivals() {
        Topology t = Topology.builder()
                .edge("Start -> Hub")
                .edge("Hub <-> W1")
                .edge("Hub <-> W2")
                .edge("W2 -> Hub [on error]")
                .edge("Hub -> End")
                .build();
        AtomicInteger hubSteps = new AtomicInteger();
        agents.register("Hub", r -> {
                    hubSteps.incrementAndGet();
                    return r.arrivals().isEmpty()
                            ? AgentResponse.parallel(Invocation.of("W1", 1), Invocation.of("W2", 2))
                            : AgentResponse.finish(r.arrivals());
                })
                .register("W1", r -> AgentResponse.finish("w1"))
                .register("W2", alwaysFailing(new IllegalStateException("w2 broke")));

        OrchestraResult result = run(t, NO_WAIT);

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(hubSteps).hasValue(2);
        assertThat(result.finalResponse())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .satisfiesExactly(
                        w1 -> assertThat(((Arrival) w1).value()).isEqualTo("w1"),
                        w2 -> assertThat(((Arrival) w2).value()).isInstanceOfSatisfying(ErrorContext.class, context -> {
                            assertThat(context.failedAgent()).isEqualTo("W2");
                            assertThat(context.message()).contains("w2 broke");
                        }));
    }
}
