package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json} is OpenAPI 3.1 and documents exactly the routes the server serves. */
final class OpenApiTest {

    @Test
    void openApi_documentsEveryRoute_andNothingElse() {
        try (OrchestraServer server = TestServers.start()) {
            JsonNode doc = new Http(server.url()).get("/openapi.json").json();

            assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
            List<String> documented = new ArrayList<>();
            doc.path("paths").properties().forEach(p -> p.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
            assertThat(documented).containsExactlyInAnyOrderElementsOf(server.routes());
        }
    }

    @Test
    void openApi_everyOperationHasASummaryAndResponses() {
        try (OrchestraServer server = TestServers.start()) {
            JsonNode doc = new Http(server.url()).get("/openapi.json").json();

            doc.path("paths")
                    .properties()
                    .forEach(p -> p.getValue().properties().forEach(op -> {
                        assertThat(op.getValue().path("summary").asText())
                                .as(p.getKey())
                                .isNotBlank();
                        assertThat(op.getValue().path("responses").size())
                                .as(p.getKey())
                                .isPositive();
                    }));
        }
    }
}
