package dev.orchestra4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.ErrorHandlingConfig;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
                            : AgentResponse.invoke("Writer", "write it up"))
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
     * Forwards to the collector and opens a latch once the run's last event has been recorded: listeners are served
     * asynchronously, so a test must know when the collector has seen everything, without sleeping.
     */
    private static final class UntilRunEnds implements OrchestraListener {

        private final OrchestraListener target;
        private final CountDownLatch ended = new CountDownLatch(1);

        UntilRunEnds(OrchestraListener target) {
            this.target = target;
        }

        @Override
        public void onEvent(OrchestraEvent event) {
            target.onEvent(event);
            if (event instanceof OrchestraEvent.RunCompleted || event instanceof OrchestraEvent.RunPaused) {
                ended.countDown();
            }
        }

        void await() throws InterruptedException {
            assertThat(ended.await(30, TimeUnit.SECONDS)).as("the run ended").isTrue();
        }
    }
}
