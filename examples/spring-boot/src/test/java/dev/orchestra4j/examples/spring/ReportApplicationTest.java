package dev.orchestra4j.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the example as a user would (its own {@code application.yml}, a random port) and talks to it over HTTP. */
final class ReportApplicationTest {

    private static ConfigurableApplicationContext app;
    private static String base;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = SpringApplication.run(ReportApplication.class, "--server.port=0", "--server.address=127.0.0.1");
        base = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void postReports_topic_runsTheSessionOfflineAndAnswersWithTheReport() throws Exception {
        HttpResponse<String> response = post("/reports", "{\"topic\": \"solid-state batteries\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(body.path("sessionId").asText()).isNotBlank();
        assertThat(body.path("report").asText())
                .startsWith("REPORT")
                .contains("[from Facts]", "facts about solid-state batteries")
                .contains("[from Doubts]", "open questions about solid-state batteries");
    }

    @Test
    void postReports_blankTopic_isABadRequest() throws Exception {
        HttpResponse<String> response = post("/reports", "{\"topic\": \" \"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("'topic' must not be blank");
    }

    @Test
    void actuator_afterARun_showsOrchestraMetricsAndHealth() throws Exception {
        post("/reports", "{\"topic\": \"graphene\"}");

        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).contains("orchestra_steps_total{agent=\"Writer\",outcome=\"success\"}");
        JsonNode health = new ObjectMapper()
                .readTree(http.send(
                                HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        assertThat(health.path("components").path("orchestra4j").path("status").asText())
                .isEqualTo("UP");
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
