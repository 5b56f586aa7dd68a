package dev.orchestra4j.server.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.server.internal.events.SseStream;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Symphony Stage's routes ({@code GET /pipelines}, {@code GET /pipelines/{id}}, {@code POST
 * /pipelines/{id}/perform}) plus {@code ?async=true} runs ({@code GET /runs/{id}}, {@code GET /runs/{id}/events}),
 * {@code ?trace=true} history, a 422 naming the field when the input does not fit the first step, and a 500 with
 * {@code detail.error}, {@code detail.pipeline_id} and {@code detail.category} when a step fails.
 */
public final class PipelineRoutes {

    private final PipelineRuns runs;
    private final SseStream sse;
    private final Consumer<Context> streamOpened;
    private final Clock clock;

    public PipelineRoutes(PipelineRuns runs, SseStream sse, Consumer<Context> streamOpened, Clock clock) {
        this.runs = runs;
        this.sse = sse;
        this.streamOpened = streamOpened;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/pipelines", ctx -> {
            ArrayNode list = Json.array();
            runs.all().forEach(p -> list.add(PipelineSchema.summary(p)));
            Json.send(ctx, Json.of("pipelines", list));
        });
        routes.get("/pipelines/{id}", ctx -> Json.send(ctx, PipelineSchema.detail(runs.pipeline(ctx.pathParam("id")))));
        routes.post("/pipelines/{id}/perform", this::perform);
        routes.get("/runs/{id}", ctx -> Json.send(ctx, runs.run(ctx.pathParam("id"))));
        routes.get("/runs/{id}/events", ctx -> {
            runs.run(ctx.pathParam("id"));
            sse.serve(ctx, PipelineRuns.stream(ctx.pathParam("id")), () -> streamOpened.accept(ctx));
        });
    }

    private void perform(Context ctx) {
        Pipeline p = runs.pipeline(ctx.pathParam("id"));
        ObjectNode body = Json.body(ctx);
        JsonNode inputData = body.path("input_data");
        if (inputData.isMissingNode() || inputData.isNull()) {
            throw ApiException.validation("body.input_data", "missing", "Field required");
        }
        if (!inputData.isObject()) {
            throw ApiException.validation("body.input_data", "dict_type", "Input should be a valid dictionary");
        }
        Object input = runs.input(p, Json.toMap(inputData));
        boolean trace = "true".equals(ctx.queryParam("trace"));
        if ("true".equals(ctx.queryParam("async"))) {
            String runId = runs.start(p, input, trace);
            ctx.header("Location", "/runs/" + runId);
            Json.send(ctx, 202, Json.of("run_id", runId, "status", "running"));
            return;
        }
        Instant start = clock.instant();
        ObjectNode outcome = PipelineBodies.outcome(
                p, runs.perform(p, input, "perform-" + java.util.UUID.randomUUID()), start, clock.instant(), trace);
        if (outcome.path("status").asText().equals("success")) {
            Json.send(ctx, outcome);
            return;
        }
        ObjectNode detail = Json.object();
        detail.put("error", outcome.path("error").path("message").asText());
        detail.put("pipeline_id", p.id());
        detail.put("category", outcome.path("error").path("category").asText());
        Json.send(ctx, 500, Json.of("detail", detail, "status", "failed"));
    }
}
