package dev.orchestra4j.server.internal.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.ToolCallRecord;
import dev.orchestra4j.core.replay.ModelCall;
import dev.orchestra4j.core.replay.RecordedStep;
import dev.orchestra4j.core.replay.Recording;
import dev.orchestra4j.core.replay.Replay;
import dev.orchestra4j.server.OrchestraServer;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A recorded session's steps and forks under {@code /api/sessions/{id}}: {@code GET steps} (the step list), {@code GET
 * steps/{step}} (one step's input, output, model calls and tool calls) and {@code POST forks} (a new session from a
 * step, run live with the topology's agents; the request returns when it ends). Forks run on instances of their own
 * over the server's storage, one per registered topology, found by the recorded session's topology digest.
 */
public final class ReplayRoutes {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final StateManager manager;
    private final Map<String, OrchestraInstance> byDigest = new LinkedHashMap<>();

    public ReplayRoutes(Map<String, OrchestraServer.TopologySetup> topologies, StateManager manager, Clock clock) {
        this.manager = manager;
        topologies
                .values()
                .forEach(setup -> byDigest.putIfAbsent(
                        setup.topology().digest(),
                        OrchestraInstance.builder()
                                .topology(setup.topology())
                                .agents(setup.agents())
                                .stateManager(manager)
                                .clock(clock)
                                .build()));
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/sessions/{id}/steps", ctx -> Json.send(ctx, steps(recording(ctx.pathParam("id")))));
        routes.get("/api/sessions/{id}/steps/{step}", this::step);
        routes.post("/api/sessions/{id}/forks", this::fork);
    }

    private Recording recording(String sessionId) {
        try {
            return Recording.read(manager, sessionId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Session " + sessionId + " has no recorded steps");
        }
    }

    private static ObjectNode steps(Recording recording) {
        ObjectNode body = Json.object().put("session_id", recording.sessionId());
        body.put("total_tokens", recording.totalTokens());
        body.put("mermaid", recording.toMermaid());
        ArrayNode steps = body.putArray("steps");
        recording.steps().forEach(s -> steps.add(summary(s)));
        return body;
    }

    private static ObjectNode summary(RecordedStep s) {
        ObjectNode n = Json.object()
                .put("step", s.step())
                .put("attempt", s.attempt())
                .put("branch_id", s.branchId())
                .put("agent", s.agent())
                .put("action", s.action());
        ArrayNode targets = n.putArray("targets");
        s.targets().forEach(targets::add);
        n.put("tokens", s.inputTokens() + s.outputTokens());
        n.put("duration_ms", s.duration().toMillis());
        n.put("model_calls", s.modelCalls().size());
        n.put("tool_calls", s.toolCalls().size());
        s.copiedFrom().ifPresentOrElse(from -> n.put("copied_from", from), () -> n.putNull("copied_from"));
        return n;
    }

    private void step(Context ctx) {
        String sessionId = ctx.pathParam("id");
        int number;
        try {
            number = Integer.parseInt(ctx.pathParam("step"));
        } catch (NumberFormatException e) {
            throw ApiException.validation("path.step", "int_parsing", "step must be a number");
        }
        RecordedStep s = recording(sessionId)
                .step(number)
                .orElseThrow(() -> ApiException.notFound("Session " + sessionId + " has no step " + number));
        ObjectNode body = summary(s);
        body.set("input", Json.tree(s.input()));
        body.set("output", Json.tree(s.output()));
        s.error().ifPresentOrElse(e -> body.put("error", e), () -> body.putNull("error"));
        body.put("start", s.start().toString());
        ArrayNode calls = body.putArray("model_call_details");
        for (ModelCall call : s.modelCalls()) {
            ObjectNode c = calls.addObject()
                    .put("request_digest", call.requestDigest())
                    .put("input_tokens", call.inputTokens())
                    .put("output_tokens", call.outputTokens())
                    .put("duration_ms", call.duration().toMillis());
            ArrayNode tools = c.putArray("tools");
            call.tools().forEach(tools::add);
            c.set("messages", parse(call.messages()));
            c.set("response", parse(call.response()));
        }
        ArrayNode tools = body.putArray("tool_call_details");
        for (ToolCallRecord t : s.toolCalls()) {
            tools.addObject()
                    .put("name", t.name())
                    .put("arguments", t.arguments())
                    .put("result", t.result())
                    .put("failed", t.failed())
                    .put("duration_ms", t.duration().toMillis());
        }
        Json.send(ctx, body);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (IOException e) {
            throw new IllegalStateException("a recorded model call is not JSON: " + e.getMessage(), e);
        }
    }

    private void fork(Context ctx) {
        String sessionId = ctx.pathParam("id");
        ObjectNode body = Json.body(ctx);
        JsonNode step = body.path("step");
        if (!step.canConvertToInt() || step.asInt() < 1) {
            throw ApiException.validation("body.step", "int_type", "step must be a positive step number");
        }
        String newId = body.path("session_id").isTextual()
                ? body.get("session_id").asText()
                : sessionId + "-fork-" + UUID.randomUUID().toString().substring(0, 8);
        if (!ID.matcher(newId).matches() || newId.equals(".") || newId.equals("..")) {
            throw ApiException.validation(
                    "body.session_id", "string_pattern_mismatch", "session_id must be 1-128 of A-Z a-z 0-9 . _ -");
        }
        recording(sessionId);
        SessionSnapshot stored = manager.loadSession(sessionId)
                .orElseThrow(() -> ApiException.notFound("Session " + sessionId + " not found"));
        OrchestraInstance instance = byDigest.get(stored.topologyDigest());
        if (instance == null) {
            throw ApiException.conflict("Session " + sessionId + " ran a topology this server no longer has (digest "
                    + stored.topologyDigest() + ")");
        }
        Replay fork = instance.fork(sessionId, step.asInt(), newId);
        ObjectNode out = Json.object()
                .put("session_id", fork.sessionId())
                .put("forked_from", sessionId)
                .put("step", step.asInt())
                .put("status", fork.result().status().name());
        out.set("final_response", Json.tree(fork.result().finalResponse()));
        fork.divergence().ifPresentOrElse(d -> out.put("divergence", d.toString()), () -> out.putNull("divergence"));
        Json.send(ctx, 201, out);
    }
}
