package dev.orchestra4j.server.internal.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.PipelineResult;
import dev.orchestra4j.server.internal.events.EventHub;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.server.internal.store.RecordStore;
import dev.orchestra4j.state.StateManager;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Performs registered pipelines, synchronously or as durable asynchronous runs ({@code server/runs/<id>}). */
public final class PipelineRuns {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelineRuns.class);

    static final String KIND = "runs";
    /** The node id of the server that performs a run: after a crash it fails the runs it left running. */
    static final String OWNER = "owner";

    private static final ObjectMapper STRICT = Json.MAPPER
            .copy()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();
    private final RecordStore store;
    private final EventHub hub;
    private final StateManager stateManager;
    private final OrchestraListener metrics;
    private final Clock clock;
    private final String owner;

    public PipelineRuns(
            List<Pipeline> pipelines,
            RecordStore store,
            EventHub hub,
            StateManager stateManager,
            OrchestraListener metrics,
            Clock clock,
            String owner) {
        for (Pipeline p : pipelines) {
            if (this.pipelines.putIfAbsent(p.id(), p) != null) {
                throw new IllegalArgumentException("Duplicate pipeline ID: " + p.id());
            }
        }
        this.store = store;
        this.hub = hub;
        this.stateManager = stateManager;
        this.metrics = metrics;
        this.clock = clock;
        this.owner = owner;
    }

    public List<Pipeline> all() {
        return List.copyOf(pipelines.values());
    }

    public int count() {
        return pipelines.size();
    }

    Pipeline pipeline(String id) {
        Pipeline p = pipelines.get(id);
        if (p == null) {
            throw ApiException.notFound("Pipeline '" + id + "' not found");
        }
        return p;
    }

    /** Checks the input against the first step's input type: a 422 naming the field path when it does not fit. */
    Object input(Pipeline p, Map<String, Object> input) {
        Class<?> type = p.blocks().getFirst().steps().getFirst().inputType();
        if (type == Object.class || Map.class.isAssignableFrom(type)) {
            return input;
        }
        try {
            STRICT.convertValue(input, type);
        } catch (IllegalArgumentException e) {
            String path = e.getCause() instanceof MismatchedInputException m
                    ? m.getPath().stream()
                            .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                            .collect(Collectors.joining("."))
                    : "";
            String field = path.isEmpty() ? "body.input_data" : "body.input_data." + path;
            throw ApiException.validation(
                    field,
                    "value_error",
                    "input_data does not fit " + type.getSimpleName() + " of step '"
                            + p.blocks().getFirst().steps().getFirst().id() + "'"
                            + (path.isEmpty() ? "" : ": field '" + path + "'"));
        }
        return input;
    }

    PipelineResult<Object> perform(Pipeline p, Object input, String runId) {
        return p.perform(
                input, o -> o.listener(metrics).stateManager(stateManager).context(Map.of("session_id", runId)));
    }

    /** Starts a run and returns its id at once; its record and events follow the run. */
    String start(Pipeline p, Object input, boolean trace) {
        String runId = "run-" + UUID.randomUUID();
        ObjectNode record = Json.object();
        record.put("run_id", runId);
        record.put("pipeline_id", p.id());
        record.put("status", "running");
        record.put(OWNER, owner);
        record.put("created_at", clock.instant().toString());
        store.put(KIND, runId, record);
        hub.publish(stream(runId), "run", Json.write(record));
        Instant start = clock.instant();
        Thread.ofVirtual().name("pipeline-run-" + runId).start(() -> {
            ObjectNode done;
            try {
                done = PipelineBodies.outcome(p, perform(p, input, runId), start, clock.instant(), trace);
            } catch (RuntimeException e) {
                done = PipelineBodies.crashed(p, e, start, clock.instant());
            }
            done.put("run_id", runId);
            done.put(OWNER, owner);
            done.put("created_at", record.path("created_at").asText());
            store.put(KIND, runId, done);
            hub.publish(stream(runId), "run", Json.write(done));
        });
        return runId;
    }

    /**
     * Fails the asynchronous runs that a previous process of this node left {@code running} (a crash, a kill), each
     * with an error naming the run. They are not performed again: a pipeline's steps may have effects outside the
     * server, and Stage's contract is one perform per request, so whether to repeat one is the client's decision. A
     * run whose stored session another live process still writes (within its lease) is left to that process; the
     * checks run off the start-up thread.
     *
     * @return how many runs were found interrupted
     */
    public int failInterrupted() {
        List<ObjectNode> interrupted = store.all(KIND).stream()
                .filter(r -> r.path("status").asText().equals("running")
                        && owner.equals(r.path(OWNER).asText(owner)))
                .toList();
        for (ObjectNode r : interrupted) {
            Thread.ofVirtual()
                    .name("pipeline-run-recovery-" + r.path("run_id").asText())
                    .start(() -> {
                        try {
                            new RunLease(stateManager, clock)
                                    .afterStale(r.path("run_id").asText(), () -> interrupted(r));
                        } catch (RuntimeException e) {
                            LOG.warn(
                                    "could not fail the interrupted run {}",
                                    r.path("run_id").asText(),
                                    e);
                        }
                    });
        }
        return interrupted.size();
    }

    private void interrupted(ObjectNode record) {
        String runId = record.path("run_id").asText();
        String message = "run '" + runId + "' of pipeline '"
                + record.path("pipeline_id").asText()
                + "' was interrupted by a server restart (node '" + owner + "') before it finished; its steps may have"
                + " partly run, so it is not performed again: perform the pipeline again if that is safe";
        ObjectNode error = Json.object();
        error.put("message", message);
        error.put("category", "INTERRUPTED");
        record.put("status", "failed");
        record.set("error", error);
        record.put("timestamp", clock.instant().toString());
        store.put(KIND, runId, record);
        hub.publish(stream(runId), "run", Json.write(record));
    }

    ObjectNode run(String runId) {
        return store.get(KIND, runId).orElseThrow(() -> ApiException.notFound("Run " + runId + " not found"));
    }

    static String stream(String runId) {
        return "run:" + runId;
    }
}
