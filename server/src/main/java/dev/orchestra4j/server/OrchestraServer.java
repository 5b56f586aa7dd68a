package dev.orchestra4j.server;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.flow.Pipeline;
import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.metrics.MetricsCollector;
import dev.orchestra4j.server.internal.ServerApp;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Orchestra4j over HTTP: native sessions of registered topologies, AI Orchestra's run-graph API, Symphony Stage's
 * pipeline routes, Server-Sent Events, a web console, {@code /metrics} and {@code /openapi.json}.
 *
 * <pre>{@code
 * try (OrchestraServer server = OrchestraServer.builder()
 *         .port(0)
 *         .topology("review", topology, agents)
 *         .stateManager(new StateManager(new FileStorageBackend(Path.of("data"))))
 *         .start()) {
 *     System.out.println(server.url());
 * }
 * }</pre>
 *
 * Binds to loopback unless told otherwise. {@link #close()} shuts down gracefully: new requests get 503, requests in
 * flight finish, running sessions pause at a step boundary (they stay in storage and can be resumed), event streams
 * end.
 */
public final class OrchestraServer implements AutoCloseable {

    private final ServerApp app;

    private OrchestraServer(ServerApp app) {
        this.app = app;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bound port (the free one chosen for port 0). */
    public int port() {
        return app.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8000}. */
    public URI url() {
        return app.url();
    }

    /** Every HTTP route as {@code "GET /path/{param}"}. */
    java.util.List<String> routes() {
        return app.routes();
    }

    /** Shuts down gracefully (see the class comment); idempotent. */
    @Override
    public void close() {
        app.close();
    }

    /** Configures and starts an {@link OrchestraServer}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8000;
        private @Nullable String apiKey;
        private List<String> corsOrigins = List.of("http://localhost:3000");
        private long maxRequestBytes = 1 << 20;
        private double rateLimitPerSecond = 200;
        private @Nullable StateManager stateManager;
        private @Nullable MetricsCollector metrics;
        private RoleRegistry roles = ScriptedRoles.create();
        private final Map<String, TopologySetup> topologies = new LinkedHashMap<>();
        private final List<Pipeline> pipelines = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Duration heartbeat = Duration.ofSeconds(15);
        private int sseClientBuffer = 1024;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private String nodeId = "local";

        private Builder() {}

        /** The address to bind; {@code 127.0.0.1} by default. */
        public Builder host(String value) {
            host = requireNonNull(value, "host");
            return this;
        }

        /** The port; 0 picks a free one; 8000 by default. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + value);
            }
            port = value;
            return this;
        }

        /** Requires this key on every route but {@code /}, {@code /health} and the console's static files. */
        public Builder apiKey(@Nullable String value) {
            apiKey = value == null || value.isBlank() ? null : value;
            return this;
        }

        /** Origins allowed by CORS (echoed, with credentials); {@code *} allows any origin without credentials. */
        public Builder corsOrigins(List<String> value) {
            corsOrigins = List.copyOf(value);
            return this;
        }

        /** The largest request body accepted (413 beyond); 1 MiB by default. */
        public Builder maxRequestBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be positive, was " + value);
            }
            maxRequestBytes = value;
            return this;
        }

        /** Requests per second per client address (429 beyond, bursts of twice as many); 0 turns it off. */
        public Builder rateLimit(double perSecond) {
            if (perSecond < 0) {
                throw new IllegalArgumentException("rateLimit must be >= 0, was " + perSecond);
            }
            rateLimitPerSecond = perSecond;
            return this;
        }

        /** Where sessions, workflows and pipeline runs live; a file backend under {@code ./data} by default. */
        public Builder stateManager(StateManager value) {
            stateManager = requireNonNull(value, "stateManager");
            return this;
        }

        /** The collector behind {@code /metrics} (and every session's metrics); a Prometheus one by default. */
        public Builder metrics(MetricsCollector value) {
            metrics = requireNonNull(value, "metrics");
            return this;
        }

        /** What run-graph roles resolve to; {@link ScriptedRoles#create()} by default. */
        public Builder roles(RoleRegistry value) {
            roles = requireNonNull(value, "roles");
            return this;
        }

        /** Registers a topology whose sessions the native API starts under {@code name}. */
        public Builder topology(String name, Topology topology, AgentRegistry agents) {
            requireNonNull(name, "name");
            if (topologies.putIfAbsent(
                            name,
                            new TopologySetup(requireNonNull(topology, "topology"), requireNonNull(agents, "agents")))
                    != null) {
                throw new IllegalArgumentException("topology '" + name + "' is registered twice");
            }
            return this;
        }

        /** Serves sealed pipelines under {@code /pipelines/{id}}; two with the same id are refused at start. */
        public Builder pipelines(Pipeline... values) {
            for (Pipeline p : values) {
                pipelines.add(requireNonNull(p, "pipeline"));
            }
            return this;
        }

        public Builder clock(Clock value) {
            clock = requireNonNull(value, "clock");
            return this;
        }

        /** How often an idle event stream gets a comment line; 15 s by default. */
        public Builder heartbeat(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("heartbeat must be positive, was " + value);
            }
            heartbeat = value;
            return this;
        }

        /** How many events an SSE client may fall behind its stream before it is cut off as too slow; 1024 by default. */
        public Builder sseClientBuffer(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("sseClientBuffer must be positive, was " + value);
            }
            sseClientBuffer = value;
            return this;
        }

        /** How long {@link #close()} waits for requests, workflows and sessions; 30 s by default. */
        public Builder shutdownTimeout(Duration value) {
            shutdownTimeout = requireNonNull(value, "shutdownTimeout");
            return this;
        }

        /**
         * This server's name in shared storage: on start it resumes the workflows that a previous process with the same
         * node id left unfinished (a crash, a kill). Give each of several servers sharing a database its own id.
         */
        public Builder nodeId(String value) {
            nodeId = requireNonNull(value, "nodeId");
            return this;
        }

        /** Binds and starts serving. */
        public OrchestraServer start() {
            StateManager state =
                    stateManager != null ? stateManager : new StateManager(new FileStorageBackend(Path.of("data")));
            MetricsCollector collector = metrics != null ? metrics : MetricsCollector.prometheus();
            return new OrchestraServer(ServerApp.start(new ServerApp.Settings(
                    host,
                    port,
                    apiKey,
                    corsOrigins,
                    maxRequestBytes,
                    rateLimitPerSecond,
                    state,
                    collector,
                    roles,
                    new LinkedHashMap<>(topologies),
                    List.copyOf(pipelines),
                    clock,
                    heartbeat,
                    sseClientBuffer,
                    shutdownTimeout,
                    nodeId)));
        }
    }

    /** A registered topology and its agents. */
    public record TopologySetup(Topology topology, AgentRegistry agents) {}
}
