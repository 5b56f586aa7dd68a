package dev.orchestra4j.server.internal.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.StoredSession;
import dev.orchestra4j.core.ToolCallRecord;
import dev.orchestra4j.core.replay.ModelCall;
import dev.orchestra4j.core.replay.RecordedStep;
import dev.orchestra4j.core.replay.Recording;
import dev.orchestra4j.core.replay.Replay;
import dev.orchestra4j.server.OrchestraServer;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.server.internal.store.RecordStore;
import dev.orchestra4j.state.SessionSnapshot;
import dev.orchestra4j.state.StateManager;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recorded session's steps and forks under {@code /api/sessions/{id}}: {@code GET steps} (the step list), {@code GET
 * steps/{step}} (one step's input, output, model calls and tool calls), {@code POST forks} (a new session from a
 * step, run live with the topology's agents: 202 at once, the fork runs on a virtual thread) and {@code GET
 * forks/{fork}} (how it went: RUNNING until it ends, then its status, final response and divergence). Forks run on
 * instances of their own over the server's storage, one per registered topology, found by the recorded session's
 * topology digest. What a fork ended with is kept in memory for the last {@value #KEPT} forks; after that, or after a
 * restart, its stored status and final response are read from storage.
 */
public final class ReplayRoutes {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final int KEPT = 1000;

    /** The record kind of forks: where from, who runs it, how it ended; read back after a restart. */
    static final String FORKS = "forks";

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRoutes.class);

    /** A fork run by this process: where from, and how it ends. */
    private record ForkRun(String from, int step, CompletableFuture<Ended> outcome) {}

    /** How a fork ended; its divergence is known only to the process that ran it from the fork point. */
    private record Ended(OrchestraResult result, @Nullable String divergence) {}

    private final StateManager manager;
    private final RecordStore records;
    /** This server's node id: a restart of the same node takes up the forks it left running. */
    private final String owner;

    private final Map<String, OrchestraInstance> byDigest = new LinkedHashMap<>();
    private final ConcurrentMap<String, ForkRun> forks = new ConcurrentHashMap<>();

    public ReplayRoutes(
            Map<String, OrchestraServer.TopologySetup> topologies,
            StateManager manager,
            Clock clock,
            RecordStore records,
            String owner) {
        this.manager = manager;
        this.records = records;
        this.owner = owner;
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
        routes.get("/api/sessions/{id}/forks/{fork}", this::forkStatus);
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
        if (!step.isIntegralNumber() || !step.canConvertToInt() || step.asInt() < 1) { // 1.5 is not step 1
            throw ApiException.validation("body.step", "int_type", "step must be a positive step number");
        }
        String newId = Json.optionalText(body, "session_id")
                .orElseGet(() ->
                        sessionId + "-fork-" + UUID.randomUUID().toString().substring(0, 8));
        if (!ID.matcher(newId).matches() || newId.equals(".") || newId.equals("..")) {
            throw ApiException.validation(
                    "body.session_id", "string_pattern_mismatch", "session_id must be 1-128 of A-Z a-z 0-9 . _ -");
        }
        int at = step.asInt();
        if (recording(sessionId).step(at).isEmpty()) {
            throw ApiException.conflict("Session " + sessionId + " has no recorded step " + at + " to fork after");
        }
        SessionSnapshot stored = manager.loadSession(sessionId)
                .orElseThrow(() -> ApiException.notFound("Session " + sessionId + " not found"));
        OrchestraInstance instance = byDigest.get(stored.topologyDigest());
        if (instance == null) {
            throw ApiException.conflict("Session " + sessionId + " ran a topology this server no longer has (digest "
                    + stored.topologyDigest() + ")");
        }
        ForkRun run = new ForkRun(sessionId, at, new CompletableFuture<>());
        if (manager.loadSession(newId).isPresent() || forks.putIfAbsent(newId, run) != null) {
            throw ApiException.conflict("Session " + newId + " already exists");
        }
        forget();
        try {
            records.put(
                    FORKS,
                    newId,
                    forkBody(newId, sessionId, at).put("status", "RUNNING").put("owner", owner));
        } catch (RuntimeException e) {
            forks.remove(newId, run); // nothing runs: a retry must not be told the fork exists
            throw e;
        }
        runFork(newId, run, () -> {
            Replay replay = instance.fork(sessionId, at, newId);
            return new Ended(
                    replay.result(), replay.divergence().map(Object::toString).orElse(null));
        });
        ctx.header("Location", "/api/sessions/" + sessionId + "/forks/" + newId);
        Json.send(ctx, 202, forkBody(newId, sessionId, at).put("status", "RUNNING"));
    }

    /** Runs a fork (or its recovery) on a virtual thread; its record says how it ended. */
    private void runFork(String forkId, ForkRun run, java.util.function.Supplier<Ended> body) {
        Thread.ofVirtual().name("orchestra4j-fork-" + forkId).start(() -> {
            try {
                run.outcome().complete(body.get());
            } catch (RuntimeException | Error e) {
                run.outcome().completeExceptionally(e);
            }
            try {
                records.put(FORKS, forkId, outcome(forkId, run).put("owner", owner));
            } catch (RuntimeException e) {
                LOG.warn("could not record how fork {} ended (GET reads it from storage instead)", forkId, e);
            }
        });
    }

    /**
     * Takes up the forks that a previous process of this node left running (a crash, a kill): each continues from its
     * last committed step, as a recovered session does; one whose first step was never stored ends FAILED, naming why.
     * Returns how many run again.
     */
    public int recover() {
        int resumed = 0;
        for (ObjectNode record : records.all(FORKS)) {
            if (record.path("status").asText().equals("RUNNING")
                    && owner.equals(record.path("owner").asText(owner))) {
                resumed += recover(record) ? 1 : 0;
            }
        }
        return resumed;
    }

    private boolean recover(ObjectNode record) {
        String forkId = record.path("session_id").asText();
        ForkRun run = new ForkRun(
                record.path("forked_from").asText(), record.path("step").asInt(), new CompletableFuture<>());
        Optional<StoredSession> stored = StoredSession.load(manager, forkId);
        OrchestraInstance instance = manager.loadSession(forkId)
                .map(s -> byDigest.get(s.topologyDigest()))
                .orElse(null);
        String why = stored.isEmpty()
                ? "the server stopped before the fork's first step was stored"
                : instance == null ? "its topology is no longer registered on this server" : null;
        if (why != null) {
            records.put(
                    FORKS,
                    forkId,
                    record.put("status", "FAILED")
                            .put(
                                    "error",
                                    "fork '" + forkId + "' was interrupted by a server restart and could not be"
                                            + " recovered: " + why));
            return false;
        }
        StoredSession seen = stored.get();
        if (!seen.status().equals(StoredSession.RUNNING)) { // it stopped before its record said so: storage knows
            List<Object> finals = seen.finalResponses();
            record.put("status", seen.status()).putNull("divergence");
            record.set("final_response", Json.tree(finals.isEmpty() ? null : finals.getLast()));
            records.put(FORKS, forkId, record);
            return false;
        }
        forks.put(forkId, run);
        runFork(forkId, run, () -> new Ended(instance.recoverSession(forkId, Map.of()), null));
        return true;
    }

    private ObjectNode outcome(String forkId, ForkRun run) {
        ObjectNode out = forkBody(forkId, run.from(), run.step());
        try {
            Ended ended = run.outcome().join();
            out.put("status", ended.result().status().name());
            out.set("final_response", Json.tree(ended.result().finalResponse()));
            ended.result().error().ifPresentOrElse(e -> out.put("error", e), () -> out.putNull("error"));
            out.put("divergence", ended.divergence());
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            out.put("status", "FAILED");
            out.putNull("final_response");
            out.put("error", "the fork could not run: " + cause.getMessage());
            out.putNull("divergence");
        }
        return out;
    }

    private static ObjectNode forkBody(String forkId, String from, int step) {
        return Json.object().put("session_id", forkId).put("forked_from", from).put("step", step);
    }

    /** Drops what the oldest finished forks ended with beyond the last {@link #KEPT} (storage still has them). */
    private void forget() {
        int over = forks.size() - KEPT;
        for (var i = forks.entrySet().iterator(); over > 0 && i.hasNext(); ) {
            if (i.next().getValue().outcome().isDone()) {
                i.remove();
                over--;
            }
        }
    }

    private void forkStatus(Context ctx) {
        String sessionId = ctx.pathParam("id");
        String forkId = ctx.pathParam("fork");
        ForkRun run = forks.get(forkId);
        if (run == null || !run.from().equals(sessionId)) {
            Json.send(ctx, recordedFork(sessionId, forkId));
            return;
        }
        if (!run.outcome().isDone()) {
            Json.send(ctx, forkBody(forkId, sessionId, run.step()).put("status", "RUNNING"));
            return;
        }
        Json.send(ctx, outcome(forkId, run));
    }

    /** A fork this process does not run or remember: its record, else what storage holds. */
    private ObjectNode recordedFork(String sessionId, String forkId) {
        Optional<ObjectNode> record = records.get(FORKS, forkId)
                .filter(r -> r.path("forked_from").asText().equals(sessionId));
        if (record.isEmpty()) {
            return storedFork(sessionId, forkId);
        }
        ObjectNode out = record.get(); // a fresh copy per read: the node id is the server's business, not the client's
        out.remove("owner");
        return out;
    }

    /** Whether {@code forkId}'s recording has steps copied from {@code sessionId} (it is a fork of it). */
    private boolean copiesFrom(String forkId, String sessionId) {
        try {
            return Recording.read(manager, forkId).steps().stream()
                    .anyMatch(
                            step -> step.copiedFrom().filter(sessionId::equals).isPresent());
        } catch (IllegalArgumentException e) {
            return false; // not recorded: not a fork
        }
    }

    /** A fork this process does not remember: what storage holds (its divergence is known only to the process). */
    private ObjectNode storedFork(String sessionId, String forkId) {
        StoredSession stored = StoredSession.load(manager, forkId)
                .filter(s -> copiesFrom(forkId, sessionId))
                .orElseThrow(() -> ApiException.notFound("Fork " + forkId + " of session " + sessionId + " not found"));
        ObjectNode out = Json.object()
                .put("session_id", forkId)
                .put("forked_from", sessionId)
                .put("status", stored.status());
        List<Object> finals = stored.finalResponses();
        out.set("final_response", Json.tree(finals.isEmpty() ? null : finals.getLast()));
        return out;
    }
}
