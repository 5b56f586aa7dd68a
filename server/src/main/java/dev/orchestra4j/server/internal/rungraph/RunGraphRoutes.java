package dev.orchestra4j.server.internal.rungraph;

import dev.orchestra4j.server.internal.events.SseStream;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.server.internal.http.Paging;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** AI Orchestra's routes: {@code POST /run-graph}, {@code GET /status/{id}}, {@code GET/DELETE /workflows…}. */
public final class RunGraphRoutes {

    private static final Set<String> STATUSES = Set.of("pending", "running", "completed", "failed", "partial");

    private final Workflows workflows;
    private final SseStream sse;
    private final Consumer<Context> streamOpened;

    public RunGraphRoutes(Workflows workflows, SseStream sse, Consumer<Context> streamOpened) {
        this.workflows = workflows;
        this.sse = sse;
        this.streamOpened = streamOpened;
    }

    public void register(RoutesConfig routes) {
        routes.post("/run-graph", ctx -> Json.send(ctx, workflows.submit(Json.body(ctx))));
        routes.get("/status/{id}", ctx -> Json.send(ctx, workflows.status(ctx.pathParam("id"))));
        routes.get("/workflows", this::list);
        routes.delete("/workflows/{id}", this::delete);
        routes.get("/workflows/{id}", ctx -> Json.send(ctx, workflows.status(ctx.pathParam("id"))));
        routes.get("/workflows/{id}/events", ctx -> {
            String id = ctx.pathParam("id");
            workflows.status(id);
            sse.serve(ctx, Workflows.stream(id), () -> streamOpened.accept(ctx));
        });
    }

    private void list(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.validation(
                    "query.status",
                    "enum",
                    "Input should be 'pending', 'running', 'completed', 'failed' or 'partial', was '" + status + "'");
        }
        int limit = Paging.intParam(ctx, "limit", 100);
        if (limit < 1 || limit > 1000) {
            throw ApiException.validation(
                    "query.limit", "less_than_equal", "limit must be between 1 and 1000, was " + limit);
        }
        Json.send(ctx, workflows.list(Optional.ofNullable(status), limit));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("id");
        workflows.delete(id);
        Json.send(ctx, Json.of("message", "Workflow " + id + " deleted"));
    }
}
