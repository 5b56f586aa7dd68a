package dev.orchestra4j.server.internal;

import dev.orchestra4j.flow.RoleRegistry;
import dev.orchestra4j.metrics.MetricsCollector;
import dev.orchestra4j.server.OrchestraServer;
import dev.orchestra4j.server.internal.events.EventHub;
import dev.orchestra4j.server.internal.events.SseStream;
import dev.orchestra4j.server.internal.http.ApiException;
import dev.orchestra4j.server.internal.http.ApiKey;
import dev.orchestra4j.server.internal.http.ClientRateLimiter;
import dev.orchestra4j.server.internal.http.Cors;
import dev.orchestra4j.server.internal.http.Drain;
import dev.orchestra4j.server.internal.http.Guard;
import dev.orchestra4j.server.internal.http.Json;
import dev.orchestra4j.server.internal.pipeline.PipelineRoutes;
import dev.orchestra4j.server.internal.pipeline.PipelineRuns;
import dev.orchestra4j.server.internal.rungraph.RunGraphRoutes;
import dev.orchestra4j.server.internal.rungraph.Workflows;
import dev.orchestra4j.server.internal.session.SessionRoutes;
import dev.orchestra4j.server.internal.session.Sessions;
import dev.orchestra4j.server.internal.store.RecordStore;
import dev.orchestra4j.state.StateManager;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the route groups onto one Javalin (Jetty 12, virtual threads) and shuts it all down in order. */
public final class ServerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerApp.class);
    /** How often events appended by other servers sharing the store are looked for (live SSE across servers). */
    private static final Duration EVENT_TAIL = Duration.ofMillis(250);

    /** Everything the builder collected. */
    public record Settings(
            String host,
            int port,
            @Nullable String apiKey,
            List<String> corsOrigins,
            long maxRequestBytes,
            double rateLimitPerSecond,
            StateManager stateManager,
            MetricsCollector metrics,
            RoleRegistry roles,
            Map<String, OrchestraServer.TopologySetup> topologies,
            List<dev.orchestra4j.flow.Pipeline> pipelines,
            Clock clock,
            Duration heartbeat,
            int sseClientBuffer,
            Duration shutdownTimeout,
            String nodeId) {

        /** Never shows the API key. */
        @Override
        public String toString() {
            return "Settings[host=" + host + ", port=" + port + ", apiKey=" + (apiKey == null ? "none" : "****")
                    + ", corsOrigins=" + corsOrigins + ", store=" + stateManager.backendName() + ", nodeId=" + nodeId
                    + "]";
        }
    }

    private final Settings settings;
    private final Drain drain = new Drain();
    private final EventHub hub;
    private final Sessions sessions;
    private final Workflows workflows;
    private final PipelineRuns pipelines;
    private final dev.orchestra4j.server.internal.replay.ReplayRoutes replay;
    private final AtomicBoolean closed = new AtomicBoolean();
    private @Nullable Javalin javalin;

    private ServerApp(Settings settings) {
        this.settings = settings;
        this.hub = new EventHub(settings.stateManager().backend(), 1000, settings.sseClientBuffer(), 20_000);
        if (!settings.stateManager().backendName().equals("memory")) {
            hub.tailEvery(EVENT_TAIL); // other servers on this store may run what a client here listens to
        }
        RecordStore store = new RecordStore(settings.stateManager().backend());
        this.sessions = new Sessions(
                store, settings.stateManager(), hub, settings.clock(), settings.metrics(), settings.nodeId());
        settings.topologies().forEach((name, t) -> sessions.register(name, t.topology(), t.agents()));
        this.replay = new dev.orchestra4j.server.internal.replay.ReplayRoutes(
                settings.topologies(), settings.stateManager(), settings.clock(), store, settings.nodeId());
        this.workflows = new Workflows(
                store,
                hub,
                settings.roles(),
                settings.stateManager(),
                settings.metrics(),
                settings.clock(),
                settings.nodeId());
        io.micrometer.core.instrument.Gauge.builder("orchestra4j.server.active.workflows", workflows, Workflows::active)
                .description("run-graph workflows pending or running in this server process (resumed ones included)")
                .strongReference(true)
                .register(settings.metrics().registry());
        this.pipelines = new PipelineRuns(
                settings.pipelines(),
                store,
                hub,
                settings.stateManager(),
                settings.metrics(),
                settings.clock(),
                settings.nodeId());
    }

    public static ServerApp start(Settings settings) {
        ServerApp app = new ServerApp(settings);
        int resumed = app.workflows.recover();
        if (resumed > 0) {
            LOG.warn(
                    "resuming {} workflows that a previous run of node '{}' left unfinished",
                    resumed,
                    settings.nodeId());
        }
        int interrupted = app.pipelines.failInterrupted();
        if (interrupted > 0) {
            LOG.warn(
                    "failing {} pipeline runs that a previous run of node '{}' left running",
                    interrupted,
                    settings.nodeId());
        }
        int recovered = app.sessions.recover();
        if (recovered > 0) {
            LOG.warn(
                    "recovering {} sessions that a previous run of node '{}' left running",
                    recovered,
                    settings.nodeId());
        }
        int forks = app.replay.recover();
        if (forks > 0) {
            LOG.warn("recovering {} forks that a previous run of node '{}' left running", forks, settings.nodeId());
        }
        app.javalin = Javalin.create(app::configure).start(settings.host(), settings.port());
        return app;
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.concurrency.useVirtualThreads = true;
        config.http.maxRequestSize = settings.maxRequestBytes();
        config.jetty.modifyServer(server -> server.setStopTimeout(2000));
        ClientRateLimiter limiter = settings.rateLimitPerSecond() > 0
                ? new ClientRateLimiter(
                        settings.rateLimitPerSecond(), 2 * settings.rateLimitPerSecond(), settings.clock())
                : null;
        Guard guard = new Guard(
                settings.apiKey() == null ? null : new ApiKey(settings.apiKey()),
                new Cors(settings.corsOrigins()),
                settings.maxRequestBytes(),
                limiter,
                drain);
        var routes = config.routes;
        routes.before(guard::check);
        routes.after(drain::leave);
        routes.exception(ApiException.class, (e, ctx) -> Json.send(ctx, e.status(), Json.of("detail", e.detail())));
        routes.exception(Exception.class, this::unexpected);
        routes.error(404, ctx -> {
            if (!Json.sent(ctx)) {
                Json.send(ctx, 404, Json.of("detail", "Not Found"));
            }
        });
        SseStream sse = new SseStream(hub, settings.heartbeat());
        new Basics(this).register(routes, sse);
        new SessionRoutes(sessions, sse, drain::leave).register(routes);
        new RunGraphRoutes(workflows, sse, drain::leave).register(routes);
        new PipelineRoutes(pipelines, sse, drain::leave, settings.clock()).register(routes);
        replay.register(routes);
    }

    private void unexpected(Exception e, Context ctx) {
        if (e instanceof io.javalin.http.HttpResponseException h) {
            Json.send(ctx, h.getStatus(), Json.of("detail", h.getMessage()));
            return;
        }
        if (e instanceof dev.orchestra4j.core.SessionException || e instanceof IllegalArgumentException) {
            Json.send(ctx, 409, Json.of("detail", e.getMessage()));
            return;
        }
        LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
        if (e instanceof dev.orchestra4j.state.UnreadableStateException unreadable) {
            // permanent: asking again reads the same bytes; say what cannot be read, and no Retry-After
            Json.send(ctx, 500, Json.of("detail", "stored state cannot be read: " + unreadable.getMessage()));
            return;
        }
        if (e instanceof dev.orchestra4j.state.StateException) { // a passing outage: say so, and that it may be retried
            ctx.header("Retry-After", "1");
            Json.send(
                    ctx,
                    503,
                    Json.of(
                            "detail",
                            "storage unavailable: the request may not have been carried out; check, then try again"));
            return;
        }
        Json.send(ctx, 500, Json.of("detail", "internal server error"));
    }

    Settings settings() {
        return settings;
    }

    EventHub hub() {
        return hub;
    }

    Workflows workflows() {
        return workflows;
    }

    PipelineRuns pipelines() {
        return pipelines;
    }

    Sessions sessions() {
        return sessions;
    }

    Drain drain() {
        return drain;
    }

    /** Every HTTP route as {@code "GET /path/{param}"} (for the OpenAPI check). */
    public List<String> routes() {
        return javalin().unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> e.endpoint.method.isHttpMethod())
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .distinct()
                .toList();
    }

    public int port() {
        return javalin().port();
    }

    public URI url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port());
    }

    private Javalin javalin() {
        if (javalin == null) {
            throw new IllegalStateException("the server is not started");
        }
        return javalin;
    }

    /** 503 for new requests, finish those in flight, pause sessions, end streams, stop Jetty. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration timeout = settings.shutdownTimeout();
        if (!drain.close(timeout)) {
            LOG.warn("requests still in flight after {}; stopping anyway", timeout);
        }
        workflows.drain(timeout);
        sessions.pauseAll(timeout);
        hub.closeAll("the server is shutting down");
        javalin().stop();
        sessions.close();
        workflows.close();
    }
}
