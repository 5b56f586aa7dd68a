package dev.orchestra4j.server.internal.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.SessionHandle;
import dev.orchestra4j.server.internal.events.EventHub;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.server.internal.store.RecordStore;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions of the registered topologies: one {@link OrchestraInstance} per topology, every leg run off the request
 * thread, and a durable record per session (status, pending questions, result) so that a restarted server, or another
 * one sharing the storage, serves the same sessions.
 */
public final class Sessions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final Map<String, Topology> topologies = new LinkedHashMap<>();
    private final Map<String, OrchestraInstance> instances = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<?>> legs = new ConcurrentHashMap<>();
    private final RecordStore store;
    private final StateManager stateManager;
    private final EventHub hub;
    private final Clock clock;
    private final dev.orchestra4j.core.event.OrchestraListener metrics;
    private final String owner;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public Sessions(
            RecordStore store,
            StateManager stateManager,
            EventHub hub,
            Clock clock,
            dev.orchestra4j.core.event.OrchestraListener metrics,
            String owner) {
        this.metrics = metrics;
        this.owner = owner;
        this.store = store;
        this.stateManager = stateManager;
        this.hub = hub;
        this.clock = clock;
    }

    public void register(String name, Topology topology, AgentRegistry agents) {
        if (topologies.containsKey(name)) {
            throw new IllegalArgumentException("topology '" + name + "' is registered twice");
        }
        topologies.put(name, topology);
        instances.put(
                name,
                OrchestraInstance.builder()
                        .topology(topology)
                        .agents(agents)
                        .stateManager(stateManager)
                        .listener(new SessionEvents(hub, name))
                        .listener(metrics)
                        .awaitListeners(true)
                        .clock(clock)
                        .build());
    }

    public Map<String, Topology> topologies() {
        return java.util.Collections.unmodifiableMap(topologies);
    }

    public Topology topology(String name) {
        Topology t = topologies.get(name);
        if (t == null) {
            throw ApiException.notFound("Topology '" + name + "' not found");
        }
        return t;
    }

    /** Starts a session and returns its record at once (status RUNNING). */
    public ObjectNode start(String topologyName, Object task, Map<String, Object> context, Optional<String> id) {
        OrchestraInstance instance = instance(topologyName);
        String sessionId = id.orElseGet(() -> "s-" + UUID.randomUUID());
        if (!ID.matcher(sessionId).matches() || sessionId.equals(".") || sessionId.equals("..")) {
            throw ApiException.validation(
                    "body.session_id", "string_pattern_mismatch", "session_id must be 1-128 of A-Z a-z 0-9 . _ -");
        }
        if (stateManager.loadSession(sessionId).isPresent()) { // a fork, or a session stored by other means:
            // starting it here would continue it as a new phase, not create the session the client asked for
            throw ApiException.conflict("Session " + sessionId + " already exists in storage");
        }
        ObjectNode record = SessionRecords.created(sessionId, topologyName, task, owner, clock.instant());
        if (!store.create(SessionRecords.SESSIONS, sessionId, record)) {
            throw ApiException.conflict("Session " + sessionId + " already exists");
        }
        Map<String, Object> ctx = new LinkedHashMap<>(context);
        ctx.put("session_id", sessionId);
        // started here, not inside track's async supplier: OrchestraInstance.start does not block, and a cancel that
        // arrives at once must find the session
        SessionHandle handle;
        try {
            handle = instance.start(task, ctx);
        } catch (RuntimeException e) { // refused before it ran: the record must not stay RUNNING with nothing behind it
            record.put("status", "FAILED").put("error", String.valueOf(e.getMessage()));
            record.put("last_error", String.valueOf(e.getMessage()));
            save(record);
            throw e;
        }
        track(sessionId, handle::result);
        published(record);
        return record;
    }

    public ObjectNode record(String sessionId) {
        return store.get(SessionRecords.SESSIONS, sessionId)
                .orElseThrow(() -> ApiException.notFound("Session " + sessionId + " not found"));
    }

    public Optional<ObjectNode> result(String sessionId) {
        record(sessionId);
        return store.get(SessionRecords.RESULTS, sessionId);
    }

    /** Answers a pending question (the oldest one when {@code interactionId} is absent); the session goes on. */
    public ObjectNode answer(String sessionId, Optional<String> interactionId, String answer) {
        ObjectNode record = record(sessionId);
        JsonNode pending = record.path("pending_questions");
        boolean known = false;
        for (JsonNode q : pending) {
            known |= interactionId.isEmpty()
                    || interactionId.get().equals(q.path("interaction_id").asText());
        }
        if (!known) {
            throw ApiException.conflict(interactionId
                    .map(i -> "Session " + sessionId + " has no pending question '" + i + "'")
                    .orElse("Session " + sessionId + " has no pending question"));
        }
        OrchestraInstance instance = instance(record.path("topology").asText());
        running(record);
        track(
                sessionId,
                () -> CompletableFuture.completedFuture(
                        instance.respond(sessionId, interactionId.orElse(null), answer)));
        return record;
    }

    public ObjectNode pause(String sessionId, String reason) {
        ObjectNode record = record(sessionId);
        if (!instance(record.path("topology").asText()).pauseSession(sessionId, reason)) {
            throw ApiException.conflict("Session " + sessionId + " is not running");
        }
        return record;
    }

    public ObjectNode resume(String sessionId, Map<String, Object> context) {
        ObjectNode record = record(sessionId);
        String status = record.path("status").asText();
        if (!status.equals("PAUSED") && !status.equals("WAITING_FOR_USER")) {
            throw ApiException.conflict("Session " + sessionId + " is " + status + " and cannot be resumed");
        }
        OrchestraInstance instance = instance(record.path("topology").asText());
        running(record);
        track(sessionId, () -> CompletableFuture.completedFuture(instance.resumeSession(sessionId, context)));
        return record;
    }

    public ObjectNode cancel(String sessionId) {
        ObjectNode record = record(sessionId);
        String status = record.path("status").asText();
        if (!status.equals(SessionRecords.RUNNING) && !status.equals("PAUSED") && !status.equals("WAITING_FOR_USER")) {
            throw ApiException.conflict("Session " + sessionId + " already ended " + status);
        }
        try {
            instance(record.path("topology").asText()).cancelSession(sessionId);
        } catch (RuntimeException e) {
            LOG.debug("cancel of session {}: {}", sessionId, e.getMessage());
        }
        if (!legs.containsKey(sessionId)) {
            record.put("status", "CANCELLED");
            record.putArray("pending_questions");
            save(record);
        }
        return record;
    }

    public String checkpoint(String sessionId, String name) {
        ObjectNode record = record(sessionId);
        return instance(record.path("topology").asText()).createCheckpoint(sessionId, name);
    }

    public JsonNode checkpoints(String sessionId) {
        record(sessionId);
        return Json.tree(stateManager.listCheckpoints(sessionId).stream()
                .map(c -> Json.of(
                        "checkpoint_id",
                        c.id(),
                        "name",
                        c.name(),
                        "created_at",
                        c.createdAt().toString(),
                        "size_bytes",
                        c.sizeBytes()))
                .toList());
    }

    public ObjectNode restore(String sessionId, String checkpointId) {
        ObjectNode record = record(sessionId);
        if (!checkpointId.startsWith(sessionId + "/")) {
            throw ApiException.notFound("Checkpoint " + checkpointId + " not found");
        }
        if (legs.containsKey(sessionId)) {
            throw ApiException.conflict("Session " + sessionId + " is running; pause it before restoring");
        }
        instance(record.path("topology").asText()).restoreCheckpoint(checkpointId);
        record.put("status", "PAUSED");
        record.put("restored_from", checkpointId);
        save(record);
        return record;
    }

    public Iterable<ObjectNode> all() {
        return store.all(SessionRecords.SESSIONS);
    }

    private OrchestraInstance instance(String topologyName) {
        OrchestraInstance instance = instances.get(topologyName);
        if (instance == null) {
            throw ApiException.notFound("Topology '" + topologyName + "' not found");
        }
        return instance;
    }

    private void running(ObjectNode record) {
        record.put("status", SessionRecords.RUNNING);
        record.put(SessionRecords.OWNER, owner);
        record.putArray("pending_questions");
        save(record);
    }

    /**
     * Takes up the sessions that a previous process of this node left RUNNING (a crash, a kill): see {@link
     * SessionRecovery}. Returns how many sessions were taken up again.
     */
    public int recover() {
        SessionRecovery recovery = new SessionRecovery(stateManager);
        int resumed = 0;
        for (ObjectNode record : store.all(SessionRecords.SESSIONS)) {
            if (record.path("status").asText().equals(SessionRecords.RUNNING)
                    && owner.equals(record.path(SessionRecords.OWNER).asText(owner))) {
                resumed += recovery.recover(
                                record, instances.get(record.path("topology").asText()), this)
                        ? 1
                        : 0;
            }
        }
        return resumed;
    }

    /** Runs a leg off the request thread and records how it ended. */
    void track(String sessionId, Supplier<CompletableFuture<OrchestraResult>> leg) {
        CompletableFuture<OrchestraResult> done =
                CompletableFuture.supplyAsync(leg, executor).thenCompose(f -> f);
        legs.put(sessionId, done);
        done.whenComplete((result, failure) -> {
            legs.remove(sessionId, done);
            try {
                ended(sessionId, result, failure);
            } catch (RuntimeException e) {
                LOG.warn("could not record the end of session {}", sessionId, e);
            }
        });
    }

    private void ended(String sessionId, OrchestraResult result, Throwable failure) {
        ObjectNode record = record(sessionId);
        if (result != null) {
            store.put(SessionRecords.RESULTS, sessionId, SessionRecords.result(result));
            SessionRecords.finished(record, result, clock.instant());
        } else {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause()
                    : failure;
            if (cause instanceof SessionRecovery.OwnedElsewhere elsewhere) {
                LOG.warn("session {} was not recovered: {}", sessionId, elsewhere.getMessage());
                return; // its live owner writes the record when the session stops
            }
            record.put("last_error", String.valueOf(cause.getMessage()));
            if (record.path("status").asText().equals(SessionRecords.RUNNING)) {
                record.put("status", "FAILED");
                record.put("error", String.valueOf(cause.getMessage()));
            }
            record.put("updated_at", clock.instant().toString());
        }
        save(record);
    }

    void save(ObjectNode record) {
        record.put("updated_at", clock.instant().toString());
        store.put(SessionRecords.SESSIONS, record.path("session_id").asText(), record);
        published(record);
    }

    private void published(ObjectNode record) {
        String data = Json.write(record);
        hub.publish(SessionEvents.stream(record.path("session_id").asText()), "status", data);
        hub.publish(EventHub.SERVER, "session", data);
    }

    /** Pauses every running session at its next step boundary (they stay durable) and waits for them. */
    public void pauseAll(Duration timeout) {
        for (String id : legs.keySet()) {
            instances.values().forEach(i -> i.pauseSession(id, "server shutdown"));
        }
        CompletableFuture<?>[] running = legs.values().toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(running).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("{} sessions did not pause within {}", legs.size(), timeout);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
