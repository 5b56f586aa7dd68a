package dev.orchestra4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The collector on the events of real runs of the engine. */
final class MetricsCollectorEngineTest {

    /**
     * Lead forks to Researcher and Critic, then hands off to Writer. Researcher fails once with an I/O error (retried)
     * and reports model tokens.
     */
    private static final Topology TOPOLOGY = Topology.builder()
            .edge("Start -> Lead")
            .edge("Lead <-> Researcher")
            .edge("Lead <-> Critic")
            .edge("Lead -> Writer")
            .edge("Writer -> End")
            .build();

    private final AtomicInteger researcherCalls = new AtomicInteger();
    private final AgentRegistry agents = AgentRegistry.create()
            .register(
                    "Lead",
                    r -> r.arrivals().isEmpty()
                            ? AgentResponse.parallel(
                                    Invocation.of("Researcher", "dig"), Invocation.of("Critic", "judge"))
                            : AgentResponse.handOff("Writer", "write it up"))
            .register("Researcher", r -> {
                if (researcherCalls.incrementAndGet() == 1) {
                    throw new IOException("connection reset");
                }
                r.recorder().tokens(120, 30);
                return AgentResponse.finish("facts");
            })
            .register("Critic", r -> AgentResponse.finish("fine"))
            .register("Writer", r -> AgentResponse.finish("report"));

    @Test
    void run_forkRetryAndHandOff_recordsStepsRetriesTokensAndBarriers() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MetricsCollector collector = MetricsCollector.of(registry);
        UntilRunEnds delivered = new UntilRunEnds(collector);

        OrchestraResult result = Orchestra.run("task", TOPOLOGY, options(delivered, "e2e-1"));
        delivered.await();

        assertThat(result.success()).as(result.error().orElse("")).isTrue();
        assertThat(registry.get(MetricNames.RUNS)
                        .tag("status", "completed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(steps(registry, "Lead", "success")).isEqualTo(2);
        assertThat(steps(registry, "Researcher", "failure")).isEqualTo(1);
        assertThat(steps(registry, "Researcher", "success")).isEqualTo(1);
        assertThat(steps(registry, "Critic", "success")).isEqualTo(1);
        assertThat(steps(registry, "Writer", "success")).isEqualTo(1);
        assertThat(registry.get(MetricNames.RETRIES)
                        .tag("category", "network")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(MetricNames.TOKENS)
                        .tags("agent", "Researcher", "direction", "input")
                        .counter()
                        .count())
                .isEqualTo(120);
        assertThat(registry.get(MetricNames.BARRIER_WAIT)
                        .tag("kind", "fork")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(MetricNames.RUN_DURATION).timer().count()).isEqualTo(1);
        assertThat(registry.get(MetricNames.SESSIONS_ACTIVE).gauge().value()).isZero();
        assertThat(registry.get(MetricNames.BRANCHES_ACTIVE).gauge().value()).isZero();
        assertThat(registry.get(MetricNames.STEPS).counters().stream()
                        .mapToDouble(Counter::count)
                        .sum())
                .as("the meters agree with the result's own counters")
                .isEqualTo(result.metrics().steps());
    }

    @Test
    void getMetric_marsysNames_sumOverTagsAfterARun() throws Exception {
        MetricsCollector collector = MetricsCollector.of(new SimpleMeterRegistry());
        UntilRunEnds delivered = new UntilRunEnds(collector);

        OrchestraResult result = Orchestra.run("task", TOPOLOGY, options(delivered, "e2e-metric"));
        delivered.await();

        assertThat(collector.getMetric("total_tokens")).isEqualTo(150.0);
        assertThat(collector.getMetric("input_tokens")).isEqualTo(120.0);
        assertThat(collector.getMetric("output_tokens")).isEqualTo(30.0);
        assertThat(collector.getMetric("api_calls")).isEqualTo(result.metrics().steps());
        assertThat(collector.getMetric("failed_steps")).isEqualTo(1.0);
        assertThat(collector.getMetric("retries")).isEqualTo(1.0);
        assertThat(collector.getMetric("total_runs")).isEqualTo(1.0);
        assertThat(collector.getMetric(MetricNames.STEPS))
                .isEqualTo(result.metrics().steps());
        assertThat(collector.getMetric("active_sessions")).isZero();
    }

    @Test
    void getMetric_unknownName_listsTheKnownOnes() {
        MetricsCollector collector = MetricsCollector.of(new SimpleMeterRegistry());
        assertThat(collector.getMetric("timeouts")).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collector.getMetric("tokens_total"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown metric 'tokens_total'")
                .hasMessageContaining("total_tokens");
    }

    @Test
    void run_withObservationRegistry_everyStepObservedAndStoppedUnderTheRun() throws Exception {
        TestObservationRegistry observations = TestObservationRegistry.create();
        StoppedObservations stopped = new StoppedObservations();
        observations.observationConfig().observationHandler(stopped);
        MetricsCollector collector = MetricsCollector.builder()
                .registry(new SimpleMeterRegistry())
                .observationRegistry(observations)
                .build();
        UntilRunEnds delivered = new UntilRunEnds(collector);

        OrchestraResult result = Orchestra.run("task", TOPOLOGY, options(delivered, "e2e-5"));
        delivered.await();

        assertThat(stopped.named("outcome", "success"))
                .filteredOn(MetricNames.OBSERVATION_STEP::equals)
                .hasSize(5);
        assertThat(stopped.named("outcome", "failure")).containsExactly(MetricNames.OBSERVATION_STEP);
        assertThat(stopped.named("status", "completed")).containsExactly(MetricNames.OBSERVATION_RUN);
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(MetricNames.OBSERVATION_STEP, result.totalSteps())
                .forAllObservationsWithNameEqualTo(MetricNames.OBSERVATION_STEP, step -> step.hasParentObservation()
                        .hasHighCardinalityKeyValue("session.id", "e2e-5"))
                .hasNumberOfObservationsWithNameEqualTo(MetricNames.OBSERVATION_BARRIER, 2); // the fork and ROOT
    }

    @Test
    void stepInterceptor_agentCodeSeesItsOwnCallAsTheCurrentObservation() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        MetricsCollector collector = MetricsCollector.builder()
                .registry(new SimpleMeterRegistry())
                .observationRegistry(observations)
                .build();
        Topology line = Topology.builder()
                .edge("Start -> A")
                .edge("A -> B")
                .edge("B -> End")
                .build();
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AgentRegistry agents = AgentRegistry.create()
                .register("A", r -> {
                    seen.add(currentCall(observations));
                    return AgentResponse.handOff("B", "a");
                })
                .register("B", r -> {
                    seen.add(currentCall(observations));
                    return AgentResponse.finish("b");
                });

        OrchestraResult result = Orchestra.run(
                "task",
                line,
                RunOptions.builder()
                        .agents(agents)
                        .stepInterceptor(collector.stepInterceptor())
                        .build());

        assertThat(result.success()).isTrue();
        assertThat(seen).containsExactly("orchestra.agent.call agent=A", "orchestra.agent.call agent=B");
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(MetricNames.OBSERVATION_AGENT_CALL, 2);
    }

    private static String currentCall(TestObservationRegistry observations) {
        io.micrometer.observation.Observation current = observations.getCurrentObservation();
        if (current == null) {
            return "none";
        }
        return current.getContext().getName() + " agent="
                + current.getContext()
                        .getLowCardinalityKeyValue(MetricNames.TAG_AGENT)
                        .getValue();
    }

    @Test
    void run_withEndpoint_scrapeAfterRunShowsItsSamples() throws Exception {
        MetricsCollector collector = MetricsCollector.prometheus();
        UntilRunEnds delivered = new UntilRunEnds(collector);
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(0, collector);
                HttpClient http = HttpClient.newHttpClient()) {
            Orchestra.run("task", TOPOLOGY, options(delivered, "e2e-2"));
            delivered.await();

            HttpResponse<String> response =
                    http.send(HttpRequest.newBuilder(endpoint.url()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            PrometheusText text = PrometheusText.parse(response.body());
            assertThat(text.value("orchestra_steps_total", "agent", "Lead", "outcome", "success"))
                    .contains(2.0);
            assertThat(text.value("orchestra_runs_total", "status", "completed"))
                    .contains(1.0);
            assertThat(text.value("orchestra_retries_total", "category", "network"))
                    .contains(1.0);
            assertThat(text.value("orchestra_sessions_active_sessions")).contains(0.0);
            assertThat(response.body()).doesNotContain("e2e-2");
        }
    }

    @Test
    void run_scrapedWhileAgentWorks_showsActiveSessionThenIdle() throws Exception {
        MetricsCollector collector = MetricsCollector.prometheus();
        UntilRunEnds delivered = new UntilRunEnds(collector);
        CountDownLatch release = new CountDownLatch(1);
        AgentRegistry blocking = AgentRegistry.create().register("Slow", r -> {
            release.await();
            return AgentResponse.finish("done");
        });
        Topology topology =
                Topology.builder().edge("Start -> Slow").edge("Slow -> End").build();
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(0, collector);
                HttpClient http = HttpClient.newHttpClient()) {
            var run = OrchestraInstance.builder()
                    .topology(topology)
                    .agents(blocking)
                    .listener(delivered)
                    .build();
            var handle = run.start("task", Map.of("session_id", "e2e-3"));
            delivered.awaitStepStarted();

            PrometheusText during = scrape(http, endpoint);
            release.countDown();
            assertThat(handle.result().get(30, TimeUnit.SECONDS).success()).isTrue();
            delivered.await();
            PrometheusText after = scrape(http, endpoint);
            run.close();

            assertThat(during.value("orchestra_sessions_active_sessions")).contains(1.0);
            assertThat(during.value("orchestra_branches_active_branches")).contains(1.0);
            assertThat(during.value("orchestra_runs_total", "status", "completed"))
                    .contains(0.0);
            assertThat(after.value("orchestra_sessions_active_sessions")).contains(0.0);
            assertThat(after.value("orchestra_branches_active_branches")).contains(0.0);
            assertThat(after.value("orchestra_steps_total", "agent", "Slow", "outcome", "success"))
                    .contains(1.0);
        }
    }

    @Test
    void respond_sessionWaitingForUser_inactiveWhileWaitingAndCountsBothLegs() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UntilRunEnds delivered = new UntilRunEnds(MetricsCollector.of(registry));
        AgentRegistry asking = AgentRegistry.create()
                .register(
                        "Asker",
                        r -> "task".equals(r.input())
                                ? AgentResponse.askUser("which one?")
                                : AgentResponse.finish("chose " + r.input()));
        Topology topology = Topology.builder()
                .edge("Start -> Asker")
                .edge("Asker -> User")
                .edge("Asker -> End")
                .build();
        try (OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology)
                .agents(asking)
                .listener(delivered)
                .build()) {
            OrchestraResult waiting = instance.execute("task", Map.of("session_id", "e2e-4"), 10);
            delivered.await();

            assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_FOR_USER);
            assertThat(registry.get(MetricNames.SESSIONS_ACTIVE).gauge().value())
                    .isZero();
            assertThat(runs(registry, "waiting_for_user")).isEqualTo(1);

            OrchestraResult done = instance.respond("e2e-4", "the blue one");
            delivered.await();

            assertThat(done.success()).as(done.error().orElse("")).isTrue();
            assertThat(runs(registry, "completed")).isEqualTo(1);
            assertThat(registry.get(MetricNames.SESSIONS_ACTIVE).gauge().value())
                    .isZero();
            assertThat(registry.get(MetricNames.RUN_DURATION).timer().count()).isEqualTo(2);
            assertThat(registry.get(MetricNames.STEPS)
                            .tags("agent", "Asker", "outcome", "success")
                            .counter()
                            .count())
                    .isEqualTo(2);
        }
    }

    private static double runs(SimpleMeterRegistry registry, String status) {
        return registry.get(MetricNames.RUNS).tag("status", status).counter().count();
    }

    private static PrometheusText scrape(HttpClient http, PrometheusEndpoint endpoint) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(endpoint.url()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    @Test
    void cancel_agentIgnoresInterrupts_zombieGaugeCountsItsThreadUntilItReturns() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MetricsCollector collector = MetricsCollector.of(registry);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> stuck = new java.util.concurrent.atomic.AtomicReference<>();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(Topology.builder()
                        .edge("Start -> Deaf")
                        .edge("Deaf -> End")
                        .build())
                .agents(AgentRegistry.create().register("Deaf", r -> {
                    stuck.set(Thread.currentThread());
                    started.countDown();
                    while (release.getCount() > 0) {
                        try {
                            release.await();
                        } catch (InterruptedException ignored) {
                            // an agent that ignores interrupts: its thread stays after the session gave it up
                        }
                    }
                    return AgentResponse.finish("too late");
                }))
                .listener(collector)
                .build();
        assertThat(registry.get(MetricNames.STEPS_ZOMBIES).gauge().value()).isZero();
        try {
            var handle = instance.start("task", Map.of("session_id", "zombie-1"));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            instance.cancelSession("zombie-1");
            assertThat(handle.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.CANCELLED);

            assertThat(registry.get(MetricNames.STEPS_ZOMBIES).gauge().value())
                    .as("the session is over; its abandoned call's thread is not")
                    .isEqualTo(1);
        } finally {
            release.countDown();
        }
        assertThat(stuck.get().join(Duration.ofSeconds(10))).isTrue();
        assertThat(registry.get(MetricNames.STEPS_ZOMBIES).gauge().value()).isZero();
    }

    private RunOptions options(OrchestraListener listener, String sessionId) {
        return RunOptions.builder()
                .agents(agents)
                .context(Map.of("session_id", sessionId))
                .errorConfig(ErrorHandlingConfig.builder()
                        .baseDelay(Duration.ofMillis(1))
                        .maxDelay(Duration.ofMillis(5))
                        .build())
                .listener(listener)
                .build();
    }

    private static double steps(SimpleMeterRegistry registry, String agent, String outcome) {
        return registry.get(MetricNames.STEPS)
                .tags("agent", agent, "outcome", outcome)
                .counter()
                .count();
    }

    /**
     * Forwards to the collector and signals each time a leg of a run has been recorded: listeners are served
     * asynchronously, so a test must know when the collector has seen everything, without sleeping.
     */
    private static final class UntilRunEnds implements OrchestraListener {

        private final OrchestraListener target;
        private final Semaphore ends = new Semaphore(0);
        private final Semaphore stepsStarted = new Semaphore(0);

        UntilRunEnds(OrchestraListener target) {
            this.target = target;
        }

        @Override
        public void onEvent(OrchestraEvent event) {
            target.onEvent(event);
            if (event instanceof OrchestraEvent.RunCompleted || event instanceof OrchestraEvent.RunPaused) {
                ends.release();
            } else if (event instanceof OrchestraEvent.StepStarted) {
                stepsStarted.release();
            }
        }

        void await() throws InterruptedException {
            assertThat(ends.tryAcquire(30, TimeUnit.SECONDS))
                    .as("the run ended")
                    .isTrue();
        }

        void awaitStepStarted() throws InterruptedException {
            assertThat(stepsStarted.tryAcquire(30, TimeUnit.SECONDS))
                    .as("a step started")
                    .isTrue();
        }
    }
}
