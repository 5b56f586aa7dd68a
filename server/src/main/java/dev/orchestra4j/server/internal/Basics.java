package dev.orchestra4j.server.internal;

import dev.orchestra4j.server.internal.events.EventHub;
import dev.orchestra4j.server.internal.events.SseStream;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** The routes that are not a route group: {@code /}, {@code /health}, {@code /metrics}, OpenAPI, console, events. */
final class Basics {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml");

    private final ServerApp app;

    Basics(ServerApp app) {
        this.app = app;
    }

    void register(RoutesConfig routes, SseStream sse) {
        routes.get(
                "/",
                ctx -> Json.send(
                        ctx,
                        Json.of(
                                "service",
                                "Orchestra4j - Orchestration Service",
                                "status",
                                "running",
                                "version",
                                "0.1.0")));
        routes.get("/health", this::health);
        routes.get("/metrics", this::metrics);
        routes.get("/openapi.json", ctx -> resource(ctx, "openapi.json"));
        routes.get(
                "/api/events",
                ctx -> sse.serve(ctx, EventHub.SERVER, () -> app.drain().leave(ctx)));
        routes.get("/console", ctx -> resource(ctx, "console/index.html"));
        routes.get("/console/{file}", ctx -> resource(ctx, "console/" + ctx.pathParam("file")));
        routes.get("/console/vendor/{file}", ctx -> resource(ctx, "console/vendor/" + ctx.pathParam("file")));
    }

    private void health(Context ctx) {
        var body = Json.object();
        body.put("status", "healthy");
        body.put("active_workflows", app.workflows().active());
        body.put("pipelines_count", app.pipelines().count());
        body.put("timestamp", app.settings().clock().instant().toString());
        Json.send(ctx, body);
    }

    private void metrics(Context ctx) {
        PrometheusMeterRegistry registry = prometheus(app.settings().metrics().registry())
                .orElseThrow(() -> ApiException.notFound("no Prometheus registry: metrics are collected elsewhere"));
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    private static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return Optional.of(p);
        }
        if (registry instanceof CompositeMeterRegistry c) {
            return c.getRegistries().stream()
                    .map(Basics::prometheus)
                    .flatMap(Optional::stream)
                    .findFirst();
        }
        return Optional.empty();
    }

    private static void resource(Context ctx, String path) throws IOException {
        if (path.contains("..")) {
            throw ApiException.notFound("Not Found");
        }
        InputStream in = Basics.class.getResourceAsStream("/" + path);
        if (in == null) {
            throw ApiException.notFound("Not Found");
        }
        try (in) {
            String ext = path.substring(path.lastIndexOf('.') + 1);
            ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream"));
            ctx.header("Cache-Control", "no-cache");
            ctx.result(in.readAllBytes());
        }
    }
}
