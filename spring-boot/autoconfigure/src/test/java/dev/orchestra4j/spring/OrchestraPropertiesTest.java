package dev.orchestra4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class OrchestraPropertiesTest {

    @Test
    void metadata_generatedByTheProcessor_documentsEveryProperty() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in)
                    .as("spring-configuration-metadata.json on the class path")
                    .isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            names.add(property.path("name").asText());
            assertThat(property.path("description").asText())
                    .as(property.path("name").asText())
                    .isNotBlank()
                    .doesNotContain("{@");
        }
        assertThat(names)
                .contains(
                        "orchestra4j.execution.step-timeout",
                        "orchestra4j.errors.max-retries",
                        "orchestra4j.storage.type",
                        "orchestra4j.storage.jdbc.table",
                        "orchestra4j.storage.redis.key-prefix",
                        "orchestra4j.instance.topology",
                        "orchestra4j.instance.drain-timeout",
                        "orchestra4j.metrics.enabled",
                        "orchestra4j.agents",
                        "orchestra4j.topologies");
        assertThat(metadata.path("hints").findValuesAsText("name"))
                .contains("orchestra4j.execution.convergence-policy");
    }

    @Test
    void problems_defaults_none() {
        assertThat(new OrchestraProperties().problems()).isEmpty();
    }

    @Test
    void problems_topologyWithoutFlowsOrResource_namesIt() {
        OrchestraProperties properties = new OrchestraProperties();
        properties.getTopologies().put("empty", new TopologyProperties());
        assertThat(properties.problems())
                .containsExactly("orchestra4j.topologies.empty: needs flows (e.g. \"Start -> A\", \"A -> End\") or a"
                        + " resource");
    }
}
