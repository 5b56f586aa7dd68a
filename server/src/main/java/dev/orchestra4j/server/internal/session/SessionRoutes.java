package dev.orchestra4j.server.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.server.internal.events.SseStream;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.server.internal.http.Paging;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The native session API under {@code /api}: topologies, sessions, questions, checkpoints, results, events. */
public final class SessionRoutes {

    private final Sessions sessions;
    private final SseStream sse;
    private final Consumer<Context> streamOpened;

    public SessionRoutes(Sessions sessions, SseStream sse, Consumer<Context> streamOpened) {
        this.sessions = sessions;
        this.sse = sse;
        this.streamOpened = streamOpened;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/topologies", this::topologies);
        routes.get("/api/topologies/{name}", this::topology);
        routes.post("/api/sessions", this::start);
        routes.get("/api/sessions", this::list);
        routes.get("/api/sessions/{id}", ctx -> Json.send(ctx, sessions.record(ctx.pathParam("id"))));
        routes.get("/api/sessions/{id}/questions", ctx -> Json.send(ctx, questions(ctx.pathParam("id"))));
        routes.post("/api/sessions/{id}/answers", this::answer);
        routes.get("/api/sessions/{id}/result", this::result);
        routes.get("/api/sessions/{id}/trace", this::trace);
        routes.get("/api/sessions/{id}/diagrams/topology", this::topologyDiagram);
        routes.get("/api/sessions/{id}/diagrams/run", this::runDiagram);
        routes.post("/api/sessions/{id}/pause", this::pause);
        routes.post("/api/sessions/{id}/resume", this::resume);
        routes.post("/api/sessions/{id}/cancel", ctx -> Json.send(ctx, 202, sessions.cancel(ctx.pathParam("id"))));
        routes.post("/api/sessions/{id}/checkpoints", this::checkpoint);
        routes.get("/api/sessions/{id}/checkpoints", ctx -> Json.send(ctx, sessions.checkpoints(ctx.pathParam("id"))));
        routes.post("/api/sessions/{id}/checkpoints/{checkpoint}/restore", this::restore);
        routes.get("/api/sessions/{id}/events", ctx -> {
            sessions.record(ctx.pathParam("id"));
            sse.serve(ctx, SessionEvents.stream(ctx.pathParam("id")), () -> streamOpened.accept(ctx));
        });
    }

    private void topologies(Context ctx) {
        ArrayNode list = Json.array();
        sessions.topologies().forEach((name, t) -> list.add(Json.of("name", name, "mermaid", t.toMermaid())));
        Json.send(ctx, Json.of("topologies", list));
    }

    private void topology(Context ctx) {
        String name = ctx.pathParam("name");
        var t = sessions.topology(name);
        ObjectNode body = Json.of("name", name, "mermaid", t.toMermaid());
        try {
            body.set("topology", Json.parse(t.toJson()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("topology '" + name + "' has no JSON form", e);
        }
        Json.send(ctx, body);
    }

    private void start(Context ctx) {
        ObjectNode body = Json.body(ctx);
        List<ObjectNode> problems = new ArrayList<>();
        if (!body.path("topology").isTextual()) {
            problems.add(ApiException.problem("body.topology", "missing", "Field required"));
        }
        JsonNode task = body.path("task");
        if (!task.isTextual() && !task.isObject()) {
            problems.add(ApiException.problem("body.task", "missing", "Field required: a string or an object"));
        }
        JsonNode context = body.path("context");
        if (!context.isMissingNode() && !context.isObject()) {
            problems.add(ApiException.problem("body.context", "dict_type", "Input should be a valid dictionary"));
        }
        JsonNode sessionId = body.path("session_id");
        if (!sessionId.isMissingNode() && !sessionId.isNull() && !sessionId.isTextual()) {
            problems.add(ApiException.problem("body.session_id", "string_type", "Input should be a valid string"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.problems(422, problems);
        }
        Map<String, Object> ctxMap = context.isObject() ? Json.toMap(context) : Map.of();
        Object taskValue = task.isTextual() ? task.asText() : Json.toMap(task);
        Optional<String> id = Optional.ofNullable(body.path("session_id").textValue());
        ObjectNode record = sessions.start(body.path("topology").asText(), taskValue, ctxMap, id);
        ctx.header("Location", "/api/sessions/" + record.path("session_id").asText());
        Json.send(ctx, 202, record);
    }

    private void list(Context ctx) {
        Paging paging = Paging.of(ctx, 50);
        String topology = ctx.queryParam("topology");
        String status = ctx.queryParam("status");
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode r : sessions.all()) {
            if ((topology == null || topology.equals(r.path("topology").asText()))
                    && (status == null
                            || status.equalsIgnoreCase(r.path("status").asText()))) {
                matching.add(r);
            }
        }
        matching.sort(
                Comparator.comparing((ObjectNode r) -> r.path("created_at").asText())
                        .reversed());
        ObjectNode body = Json.object();
        body.put("total", matching.size());
        body.put("limit", paging.limit());
        body.put("offset", paging.offset());
        body.set("sessions", Json.tree(paging.slice(matching)));
        Json.send(ctx, body);
    }

    private JsonNode questions(String id) {
        return sessions.record(id).path("pending_questions");
    }

    private void answer(Context ctx) {
        ObjectNode body = Json.body(ctx);
        if (!body.path("answer").isTextual()) {
            throw ApiException.validation("body.answer", "missing", "Field required: the answer text");
        }
        Optional<String> interaction = Json.optionalText(body, "interaction_id");
        Json.send(
                ctx,
                202,
                sessions.answer(
                        ctx.pathParam("id"), interaction, body.path("answer").asText()));
    }

    private ObjectNode stored(Context ctx) {
        String id = ctx.pathParam("id");
        return sessions.result(id)
                .orElseThrow(() -> ApiException.conflict("Session " + id + " has no result yet: it is still running"));
    }

    private void result(Context ctx) {
        ctx.contentType("application/json").result(stored(ctx).path("result").asText());
    }

    private void trace(Context ctx) {
        ctx.contentType("application/x-ndjson").result(stored(ctx).path("trace").asText());
    }

    private void runDiagram(Context ctx) {
        ctx.contentType("text/plain; charset=utf-8")
                .result(stored(ctx).path("mermaid").asText());
    }

    private void topologyDiagram(Context ctx) {
        String name = sessions.record(ctx.pathParam("id")).path("topology").asText();
        ctx.contentType("text/plain; charset=utf-8")
                .result(sessions.topology(name).toMermaid());
    }

    private void pause(Context ctx) {
        String reason = Json.optionalText(optionalBody(ctx), "reason").orElse("paused over HTTP");
        Json.send(ctx, 202, sessions.pause(ctx.pathParam("id"), reason));
    }

    private void resume(Context ctx) {
        JsonNode context = optionalBody(ctx).path("context");
        if (!context.isMissingNode() && !context.isNull() && !context.isObject()) {
            throw ApiException.validation("body.context", "dict_type", "Input should be a valid dictionary");
        }
        Map<String, Object> extra = context.isObject() ? Json.toMap(context) : Map.of();
        Json.send(ctx, 202, sessions.resume(ctx.pathParam("id"), extra));
    }

    private void checkpoint(Context ctx) {
        String name = Json.optionalText(optionalBody(ctx), "name").orElse("manual");
        String id = sessions.checkpoint(ctx.pathParam("id"), name);
        Json.send(ctx, 201, Json.of("checkpoint_id", id, "name", name));
    }

    private void restore(Context ctx) {
        String id = ctx.pathParam("id");
        Json.send(ctx, sessions.restore(id, id + "/" + ctx.pathParam("checkpoint")));
    }

    private static ObjectNode optionalBody(Context ctx) {
        return ctx.bodyAsBytes().length == 0 ? Json.object() : Json.body(ctx);
    }
}
