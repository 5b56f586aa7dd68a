package dev.orchestra4j.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra4j.cluster.internal.ClusterClient;
import dev.orchestra4j.cluster.internal.ClusterNode;
import dev.orchestra4j.cluster.internal.NodeConfig;
import dev.orchestra4j.cluster.internal.Tables;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.SessionException;
import dev.orchestra4j.state.StateManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Orchestra4j sessions over many JVMs that share one PostgreSQL database. Every node registers the same named {@link
 * OrchestraInstance}s; any node can submit, answer, pause, resume and cancel a session and read where it stands.
 * {@link #start()} makes a node a worker: it runs sessions, and when a worker dies (even {@code kill -9}) another one
 * continues its sessions from their last committed step within a few heartbeats. A node that is never started is a
 * pure client.
 *
 * <p>Placement, leases, heartbeats and dead-worker detection are db-scheduler's (one table, {@code <prefix>runs}, one
 * row per session that has work to do or is running). Fencing is the session journal's sequence number: a worker that
 * lost a session (paused, partitioned, declared dead) cannot commit to it again. A session waiting for its user has
 * no run row: it costs no worker, thread or heartbeat. Answers and controls go through a durable inbox ({@code
 * <prefix>inbox}) and a {@code NOTIFY}, so they reach the session wherever it runs, and are never lost.
 *
 * <pre>{@code
 * OrchestraCluster cluster = OrchestraCluster.builder()
 *         .dataSource(dataSource)
 *         .instance("research", instance) // its StateManager: JDBC storage on the same database
 *         .build();
 * cluster.start();                       // this JVM is a worker too
 * String id = cluster.submit("research", "Compare db-scheduler and Quartz", Map.of());
 * SessionOutcome outcome = cluster.await(id, Duration.ofMinutes(5));
 * }</pre>
 */
public final class OrchestraCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterNode node;
    private final ClusterClient client;

    private OrchestraCluster(ClusterNode node) {
        this.node = node;
        this.client = new ClusterClient(node);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Makes this JVM a worker. Call once; {@link #close()} drains it. */
    public OrchestraCluster start() {
        node.start();
        return this;
    }

    /** This node's worker id (its name in the run table's {@code picked_by}). */
    public String workerId() {
        return node.workerId();
    }

    /**
     * Stores a new session of the named instance and lets some worker run it; returns its id ({@code session_id} in
     * {@code context} chooses it; a session with that id must not exist yet, unless it was stored by an earlier submit
     * that has not started yet: then this call only makes sure a worker picks it up, so a submit can be retried).
     */
    public String submit(String instanceName, Object task, Map<String, Object> context) {
        requireNonNull(instanceName, "instanceName");
        requireNonNull(task, "task");
        requireNonNull(context, "context");
        return client.submit(instanceName, task, context);
    }

    /**
     * Answers a pending question of a session, wherever it runs or waits: {@code interactionId} names the question,
     * null means the oldest pending one. Answering the same question twice returns a {@link
     * ResponseReceipt.Status#DUPLICATE} receipt and changes nothing.
     *
     * @throws SessionException if the session is unknown or has no such pending question
     */
    public ResponseReceipt respond(String sessionId, @Nullable String interactionId, String answer) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(answer, "answer");
        ClusterClient.Answered answered = client.respond(sessionId, interactionId, answer);
        return new ResponseReceipt(
                answered.interactionId(),
                answered.duplicate() ? ResponseReceipt.Status.DUPLICATE : ResponseReceipt.Status.ACCEPTED,
                answered.nextStop().thenApply(SessionOutcome::of));
    }

    /** Asks a running session to pause at its next step boundary (a suspended one stays as it is). */
    public void pause(String sessionId, String reason) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(reason, "reason");
        client.control(sessionId, dev.orchestra4j.cluster.internal.Inbox.Kind.PAUSE, reason);
    }

    /** Continues a paused session on some worker, adding {@code context}. */
    public void resume(String sessionId, Map<String, Object> context) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(context, "context");
        try {
            client.control(
                    sessionId, dev.orchestra4j.cluster.internal.Inbox.Kind.RESUME, JSON.writeValueAsString(context));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "resume context of session '" + sessionId + "' is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Cancels a session: a running one at its next step boundary, a suspended one at once. */
    public void cancel(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        client.control(sessionId, dev.orchestra4j.cluster.internal.Inbox.Kind.CANCEL, "cancel");
    }

    /** Where the session stands in storage; empty when it is unknown. */
    public Optional<SessionOutcome> outcome(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        return client.outcome(sessionId).map(SessionOutcome::of);
    }

    /**
     * Waits until the session stops — completed, failed, waiting for its user or paused — with nothing left in its
     * inbox, and returns where it stands.
     *
     * @throws SessionException if it has not stopped within {@code timeout}, or is unknown
     */
    public SessionOutcome await(String sessionId, Duration timeout) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(timeout, "timeout");
        return SessionOutcome.of(client.await(sessionId, timeout));
    }

    /** Drains a worker (its running sessions pause at a step boundary and continue on other workers), then stops. */
    @Override
    public void close() {
        node.close();
    }

    /** How cluster nodes learn about answers: PostgreSQL notifications (with polling as a safety net), or polling. */
    public enum Notifications {
        AUTO,
        POLL
    }

    /** Builds an {@link OrchestraCluster}; setters validate at once. */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private final Map<String, OrchestraInstance> instances = new LinkedHashMap<>();
        private String workerId = defaultWorkerId();
        private int maxConcurrentLegs = 64;
        private Duration heartbeat = Duration.ofSeconds(1);
        private int missedHeartbeats = 4;
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration drainTimeout = Duration.ofSeconds(30);
        private Tables tables = new Tables(Tables.DEFAULT_PREFIX);
        private Notifications notifications = Notifications.AUTO;
        private final List<ClusterListener> listeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        private static String defaultWorkerId() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "localhost";
            }
            return host + ":" + ProcessHandle.current().pid() + ":"
                    + UUID.randomUUID().toString().substring(0, 8);
        }

        /** The PostgreSQL database of the run and inbox tables (the sessions' JDBC storage should live there too). */
        public Builder dataSource(DataSource value) {
            dataSource = requireNonNull(value, "dataSource");
            return this;
        }

        /**
         * Registers an instance under a name sessions are submitted with. Register the same instances on every node.
         * Every instance needs a {@link StateManager}, the same one for all, saving every step ({@code
         * autoSaveInterval} zero), and its own topology.
         */
        public Builder instance(String name, OrchestraInstance instance) {
            requireNonNull(name, "name");
            requireNonNull(instance, "instance");
            if (name.isBlank()) {
                throw new IllegalArgumentException("instance name must not be blank");
            }
            if (instances.containsKey(name)) {
                throw new IllegalArgumentException("instance '" + name + "' is already registered");
            }
            StateManager manager = instance.stateManager()
                    .orElseThrow(() -> new IllegalArgumentException("instance '" + name
                            + "' has no StateManager; cluster sessions live in storage every worker reads"));
            if (!manager.autoSaveInterval().isZero()) {
                throw new IllegalArgumentException("instance '" + name + "' saves only every "
                        + manager.autoSaveInterval() + " (autoSaveInterval); a cluster needs every step committed"
                        + " (autoSaveInterval zero), or a worker's death would lose completed steps");
            }
            for (Map.Entry<String, OrchestraInstance> other : instances.entrySet()) {
                if (other.getValue().stateManager().orElseThrow() != manager) {
                    throw new IllegalArgumentException("instance '" + name + "' uses another StateManager than '"
                            + other.getKey() + "'; all instances of a cluster share one");
                }
                if (other.getValue()
                        .topology()
                        .digest()
                        .equals(instance.topology().digest())) {
                    throw new IllegalArgumentException("instance '" + name + "' has the same topology as '"
                            + other.getKey() + "'; each instance needs its own (it tells a stored session's instance)");
                }
            }
            instances.put(name, instance);
            return this;
        }

        /** This node's name in the run table (default {@code host:pid:random}); unique per live worker. */
        public Builder workerId(String value) {
            requireNonNull(value, "workerId");
            if (value.isBlank()) {
                throw new IllegalArgumentException("workerId must not be blank");
            }
            workerId = value;
            return this;
        }

        /** The most sessions this worker runs at once (default 64). */
        public Builder maxConcurrentLegs(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxConcurrentLegs must be positive, was " + value);
            }
            maxConcurrentLegs = value;
            return this;
        }

        /** How often a worker heartbeats the sessions it runs (default 1 s); failover takes about 4-7 of these. */
        public Builder heartbeat(Duration value) {
            heartbeat = positive(value, "heartbeat");
            return this;
        }

        /** Missed heartbeats after which a worker counts as dead (default 4, at least 4). */
        public Builder missedHeartbeats(int value) {
            if (value < 4) {
                throw new IllegalArgumentException("missedHeartbeats must be at least 4, was " + value);
            }
            missedHeartbeats = value;
            return this;
        }

        /** How often a worker looks for due sessions and running sessions' inboxes (default 500 ms). */
        public Builder pollInterval(Duration value) {
            pollInterval = positive(value, "pollInterval");
            return this;
        }

        /** How long {@link #close()} waits for running sessions to reach a step boundary (default 30 s). */
        public Builder drainTimeout(Duration value) {
            drainTimeout = positive(value, "drainTimeout");
            return this;
        }

        /** The prefix of the cluster's tables and channel (default {@code orchestra4j_}): {@code [a-z_][a-z0-9_]*}. */
        public Builder tables(String prefix) {
            tables = new Tables(requireNonNull(prefix, "prefix"));
            return this;
        }

        public Builder notifications(Notifications value) {
            notifications = requireNonNull(value, "notifications");
            return this;
        }

        public Builder listener(ClusterListener value) {
            listeners.add(requireNonNull(value, "listener"));
            return this;
        }

        /**
         * The clock of the run table: when a submitted or handed-over session is due, and db-scheduler's heartbeats and
         * dead-worker detection (default the system clock). Every node of a cluster should tell the same time; a test
         * passes a clock it controls. Sessions' own deadlines use {@code OrchestraInstance.builder().clock(…)}.
         */
        public Builder clock(Clock value) {
            clock = requireNonNull(value, "clock");
            return this;
        }

        private static Duration positive(Duration value, String name) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        /** Builds the node (creating its tables if absent); it is a client until {@link OrchestraCluster#start()}. */
        public OrchestraCluster build() {
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required: call dataSource(...) before build()");
            }
            if (instances.isEmpty()) {
                throw new IllegalStateException("at least one instance is required: call instance(name, ...)");
            }
            StateManager manager =
                    instances.values().iterator().next().stateManager().orElseThrow();
            NodeConfig config = new NodeConfig(
                    dataSource,
                    instances,
                    workerId,
                    maxConcurrentLegs,
                    heartbeat,
                    missedHeartbeats,
                    pollInterval,
                    drainTimeout,
                    tables,
                    notifications == Notifications.AUTO,
                    listeners,
                    clock);
            return new OrchestraCluster(new ClusterNode(config, manager));
        }
    }
}
