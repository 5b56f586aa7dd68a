package dev.orchestra4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.ChatModel;
import dev.orchestra4j.core.Agent;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.state.StateManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;

/**
 * A real Spring Boot application on a random port with its own PostgreSQL DataSource (Hikari) and actuator: a session
 * runs through an injected {@link OrchestraInstance}, lands in the application's database, and shows up in {@code
 * /actuator/prometheus} and {@code /actuator/health} over HTTP.
 */
final class OrchestraApplicationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void application_runsASessionOnItsDataSource_andActuatorShowsIt() throws Exception {
        PGSimpleDataSource probe = ExternalServices.postgres();
        String table = ExternalServices.uniqueName("o4j_boot");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                .properties(Map.of(
                        "server.port", "0",
                        "server.address", "127.0.0.1",
                        "spring.datasource.url", ExternalServices.PG_URL,
                        "orchestra4j.storage.jdbc.table", table,
                        "orchestra4j.topologies.report.flows", "Start -> Planner, Planner -> Writer, Writer -> End",
                        "orchestra4j.agents.Writer.system-prompt", "You write reports.",
                        "management.endpoints.web.exposure.include", "health,prometheus",
                        "management.endpoint.health.show-details", "always"))
                .run()) {
            OrchestraResult result = app.getBean(Reports.class).write("graphene");
            assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(result.finalResponseAsText())
                    .startsWith("report on:")
                    .contains("[from Planner]", "plan for graphene");
            assertThat(app.getBean(StateManager.class).backendName()).isEqualTo("jdbc");
            assertThat(app.getBean(StateManager.class).loadSession(result.sessionId()))
                    .isPresent();

            String port = app.getEnvironment().getRequiredProperty("local.server.port");
            String prometheus = get(port, "/actuator/prometheus");
            assertThat(prometheus)
                    .contains("orchestra_runs_total{status=\"completed\"} 1.0")
                    .contains("orchestra_steps_total{agent=\"Writer\",outcome=\"success\"} 1.0")
                    .contains("orchestra_tokens_total{agent=\"Writer\",direction=\"input\"} 12.0");

            JsonNode health = new ObjectMapper().readTree(get(port, "/actuator/health"));
            JsonNode orchestra = health.path("components").path("orchestra4j");
            assertThat(orchestra.path("status").asText()).isEqualTo("UP");
            assertThat(orchestra.path("details").path("storage").asText()).isEqualTo("jdbc");
            assertThat(orchestra.path("details").path("sessions.running").asInt(-1))
                    .isZero();
        } finally {
            ExternalServices.dropTable(probe, table);
        }
    }

    private String get(String port, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        @OrchestraAgent("Planner")
        Agent planner() {
            return request -> AgentResponse.handOff("Writer", "plan for " + request.input());
        }

        @Bean
        ChatModel chatModel() {
            return ScriptedChatModel.builder()
                    .otherwise(request -> ScriptedChatModel.finish("report on: "
                            + dev.langchain4j.data.message.UserMessage.class
                                    .cast(request.messages().getLast())
                                    .singleText()))
                    .tokenUsage(12, 5)
                    .build();
        }

        @Bean
        Reports reports(OrchestraInstance orchestra) {
            return new Reports(orchestra);
        }
    }

    /** An application service that gets the instance injected. */
    @Service
    static final class Reports {
        private final OrchestraInstance orchestra;

        Reports(OrchestraInstance orchestra) {
            this.orchestra = orchestra;
        }

        OrchestraResult write(String topic) {
            return orchestra.execute(topic);
        }
    }
}
