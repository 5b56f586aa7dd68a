package dev.orchestra4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.core.ErrorCategory;
import dev.orchestra4j.core.RunStatus;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class PrometheusEndpointTest {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MetricsCollector collector = MetricsCollector.prometheus();
    private final Events s1 = Events.session("s-1");
    private PrometheusEndpoint endpoint = PrometheusEndpoint.start(0, collector);

    @AfterEach
    void close() {
        endpoint.close();
        http.close();
    }

    @Test
    void start_portZero_bindsFreeLoopbackPortAndReportsUrl() {
        assertThat(endpoint.port()).isPositive();
        assertThat(endpoint.url()).isEqualTo(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"));
    }

    @Test
    void get_afterRun_servesStrictExpositionFormatWithExpectedSamples() throws Exception {
        s1.feedSuccessfulRun(collector);
        Events.feed(
                collector,
                s1.runStarted(),
                s1.stepStarted("b-2", "Researcher"),
                s1.stepFailed("b-2", "Researcher", ErrorCategory.RATE_LIMIT, Duration.ofMillis(5)),
                s1.retryScheduled("b-2", "Researcher", ErrorCategory.RATE_LIMIT),
                s1.checkpointSaved("file", 2048, Duration.ofMillis(4)));

        HttpResponse<String> response = get(endpoint.url());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText text = PrometheusText.parse(response.body());
        assertThat(text.value("orchestra_steps_total", "agent", "Researcher", "outcome", "success"))
                .contains(2.0);
        assertThat(text.value("orchestra_steps_total", "agent", "Researcher", "outcome", "failure"))
                .contains(1.0);
        assertThat(text.value("orchestra_runs_total", "status", "completed")).contains(1.0);
        assertThat(text.value("orchestra_runs_total", "status", "failed")).contains(0.0);
        assertThat(text.value("orchestra_retries_total", "category", "rate_limit"))
                .contains(1.0);
        assertThat(text.value("orchestra_tokens_total", "agent", "Researcher", "direction", "input"))
                .contains(150.0);
        assertThat(text.value("orchestra_step_duration_seconds_count", "agent", "Researcher"))
                .contains(3.0);
        assertThat(text.value("orchestra_run_duration_seconds_sum")).contains(0.07);
        assertThat(text.value("orchestra_checkpoint_bytes_sum")).contains(2048.0);
        assertThat(text.value("orchestra_sessions_active_sessions")).contains(1.0);
        assertThat(text.value("orchestra_branches_active_branches")).contains(1.0);
        assertThat(text.types())
                .containsEntry("orchestra_steps_total", "counter")
                .containsEntry("orchestra_step_duration_seconds", "summary")
                .containsEntry("orchestra_checkpoint_bytes", "summary")
                .containsEntry("orchestra_sessions_active_sessions", "gauge");
        assertThat(text.help()).containsKey("orchestra_steps_total");
        assertThat(response.body()).doesNotContain("s-1", "b-2", "secret user text");
    }

    @Test
    void get_eventsBetweenScrapes_secondScrapeSeesNewCounts() throws Exception {
        PrometheusText before = PrometheusText.parse(get(endpoint.url()).body());
        Events.feed(collector, s1.runStarted(), s1.runCompleted(RunStatus.FAILED, Duration.ofMillis(1)));
        PrometheusText after = PrometheusText.parse(get(endpoint.url()).body());

        assertThat(before.value("orchestra_runs_total", "status", "failed")).contains(0.0);
        assertThat(after.value("orchestra_runs_total", "status", "failed")).contains(1.0);
    }

    @Test
    void request_otherPath_404() throws Exception {
        assertThat(get(endpoint.url().resolve("/other")).statusCode()).isEqualTo(404);
        assertThat(get(endpoint.url().resolve("/metrics/x")).statusCode()).isEqualTo(404);
    }

    @Test
    void request_otherMethod_405WithAllow() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(endpoint.url())
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    @Test
    void get_registryFailsToRender_500() throws Exception {
        PrometheusMeterRegistry failing = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) {
            @Override
            public void scrape(OutputStream out, String contentType) {
                throw new IllegalStateException("broken");
            }
        };
        try (PrometheusEndpoint other = PrometheusEndpoint.start(0, MetricsCollector.of(failing))) {
            assertThat(get(other.url()).statusCode()).isEqualTo(500);
        }
    }

    @Test
    void start_collectorOnSimpleRegistry_throwsExplaining() {
        MetricsCollector simple = MetricsCollector.of(new SimpleMeterRegistry());

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PrometheusEndpoint.start(0, simple))
                .withMessageContaining("PrometheusMeterRegistry")
                .withMessageContaining("'SimpleMeterRegistry'");
    }

    @Test
    void start_compositeHoldingPrometheus_serves() throws Exception {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(new SimpleMeterRegistry());
        composite.add(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        MetricsCollector viaComposite = MetricsCollector.of(composite);
        Events.feed(viaComposite, s1.runStarted());

        try (PrometheusEndpoint other = PrometheusEndpoint.start(0, viaComposite)) {
            PrometheusText text = PrometheusText.parse(get(other.url()).body());
            assertThat(text.value("orchestra_sessions_active_sessions")).contains(1.0);
        }
    }

    @Test
    void start_badPort_throws() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PrometheusEndpoint.start(70_000, collector))
                .withMessage("port must be between 0 and 65535, was 70000");
    }

    @Test
    void start_explicitAddress_bindsThere() throws Exception {
        try (PrometheusEndpoint other = PrometheusEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MetricsCollector.prometheus())) {
            assertThat(get(other.url()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void close_stopsServingPromptly() {
        URI url = endpoint.url();
        long started = System.nanoTime();
        endpoint.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThatThrownBy(() -> get(url)).isInstanceOf(ConnectException.class);
        endpoint = PrometheusEndpoint.start(0, collector);
    }

    private HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
