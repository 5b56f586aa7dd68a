package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.Step;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Symphony Stage-compatible pipeline routes (research §2.4, server part) over real HTTP. */
final class PipelineApiTest {

    private static OrchestraServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = TestServers.start();
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void health_countsPipelines() {
        JsonNode h = http.get("/health").json();

        assertThat(h.path("status").asText()).isEqualTo("healthy");
        assertThat(h.path("pipelines_count").asInt()).isEqualTo(3);
    }

    @Test
    void pipelines_listEveryStepWithTypeAndFlatSchema() {
        JsonNode list = http.get("/pipelines").json().path("pipelines");

        assertThat(java.util.stream.StreamSupport.stream(list.spliterator(), false)
                        .map(p -> p.path("id").asText()))
                .containsExactly("math", "checks", "delay");
        JsonNode step = list.get(0).path("steps").get(0);
        assertThat(step.path("id").asText()).isEqualTo("double");
        assertThat(step.path("type").asText()).isIn("serial", "ensemble", "fork", "cycle");
        assertThat(step.path("input_schema").path("value").asText()).isEqualTo("int");
        assertThat(step.path("output_schema").path("result").asText()).isEqualTo("int");
        JsonNode one = http.get("/pipelines/math").json();
        assertThat(one.path("metadata").path("owner").asText()).isEqualTo("demo");
    }

    @Test
    void pipeline_unknown_404WithStageDetail() {
        var r = http.get("/pipelines/nope");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("detail").asText()).isEqualTo("Pipeline 'nope' not found");
    }

    @Test
    void perform_math_success42WithNumericDuration() {
        JsonNode r = http.post("/pipelines/math/perform", Map.of("input_data", Map.of("value", 21)))
                .json();

        assertThat(r.path("status").asText()).isEqualTo("success");
        assertThat(r.path("pipeline_id").asText()).isEqualTo("math");
        assertThat(r.path("result").path("result").asInt()).isEqualTo(42);
        assertThat(r.path("duration_ms").isNumber()).isTrue();
        assertThat(r.has("timestamp")).isTrue();
    }

    @Test
    void perform_badInput_422WithFieldPath() {
        var r = http.post("/pipelines/math/perform", Map.of("input_data", Map.of("value", "many")));
        var missing = http.post("/pipelines/math/perform", Map.of());

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("detail").get(0).path("loc").toString())
                .contains("input_data")
                .contains("value");
        assertThat(missing.status()).isEqualTo(422);
    }

    @Test
    void perform_stepThrows_500WithErrorAndPipelineId() {
        var r = http.post("/pipelines/checks/perform", Map.of("input_data", Map.of("value", -5)));

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().path("detail").path("error").asText()).contains("must not be negative");
        assertThat(r.json().path("detail").path("pipeline_id").asText()).isEqualTo("checks");
    }

    @Test
    void perform_async_202ThenRunCompletes_withTraceHistory() {
        var accepted =
                http.post("/pipelines/math/perform?async=true&trace=true", Map.of("input_data", Map.of("value", 5)));

        assertThat(accepted.status()).isEqualTo(202);
        String runId = accepted.json().path("run_id").asText();
        JsonNode run = Eventually.await(
                "run " + runId,
                () -> http.get("/runs/" + runId).json(),
                j -> !j.path("status").asText().equals("running"));
        assertThat(run.path("status").asText()).isEqualTo("success");
        assertThat(run.path("result").path("result").asInt()).isEqualTo(10);
        assertThat(run.path("performance")
                        .path("history")
                        .get(0)
                        .path("step_id")
                        .asText())
                .isEqualTo("double");
        assertThat(http.get("/runs/none").status()).isEqualTo(404);
    }

    @Test
    void build_duplicatePipelineIds_refused() {
        Pipeline a = Pipeline.builder("dup")
                .pipe(Step.untyped("s", (in, perf) -> in))
                .seal();

        assertThatThrownBy(() -> TestServers.start(b -> b.pipelines(a, a)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Duplicate pipeline ID: dup");
        assertThat(List.of(a)).hasSize(1);
    }
}
