package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

import dev.orchestra4j.metrics.MetricsCollector;
import dev.orchestra4j.runner.internal.CommandSandbox;
import dev.orchestra4j.runner.internal.HttpApi;
import dev.orchestra4j.runner.internal.IssueOrchestrator;
import dev.orchestra4j.runner.internal.RunnerMetrics;
import dev.orchestra4j.runner.internal.RunnerStore;
import dev.orchestra4j.runner.internal.Scheduler;
import dev.orchestra4j.runner.internal.Shell;
import dev.orchestra4j.runner.internal.WorkflowWatcher;
import dev.orchestra4j.runner.internal.Workspaces;
import dev.orchestra4j.runner.internal.agent.CodexAgentRunner;
import dev.orchestra4j.runner.internal.agent.TopologyAgentRunner;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner daemon, embedded: loads a {@code WORKFLOW.md}, polls its tracker, runs one durable agent session per
 * issue attempt in the issue's workspace, and (with a port) serves {@code /api/v1}. {@link RunnerCli} wraps it as
 * {@code orchestra4j-runner}.
 *
 * <pre>{@code
 * try (Runner runner = Runner.builder().workflow(Path.of("WORKFLOW.md")).port(0).start()) {
 *     System.out.println(runner.url());
 * }
 * }</pre>
 */
public final class Runner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    private final WorkflowWatcher watcher;
    private final IssueOrchestrator orchestrator;
    private final Scheduler scheduler;
    private final ExecutorService actor;
    private final Tracker tracker;
    private final StateManager state;
    private final @Nullable HttpApi http;

    private Runner(
            WorkflowWatcher watcher,
            IssueOrchestrator orchestrator,
            Scheduler scheduler,
            ExecutorService actor,
            Tracker tracker,
            StateManager state,
            @Nullable HttpApi http) {
        this.watcher = watcher;
        this.orchestrator = orchestrator;
        this.scheduler = scheduler;
        this.actor = actor;
        this.tracker = tracker;
        this.state = state;
        this.http = http;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The HTTP port, if the API is on. */
    public OptionalInt port() {
        return http == null ? OptionalInt.empty() : OptionalInt.of(http.port());
    }

    /** The API's base URL, if it is on. */
    public Optional<String> url() {
        return http == null ? Optional.empty() : Optional.of(http.url());
    }

    /** The config in force (the last good one). */
    public RunnerConfig config() {
        return watcher.current().config();
    }

    /** Stops polling, timers, workers and the API. Running sessions stay saved and are recovered on the next start. */
    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        orchestrator.close();
        scheduler.close();
        actor.shutdownNow();
        tracker.close();
        state.close();
    }

    /** Configures and starts a {@link Runner}. */
    public static final class Builder {
        private Path workflow = Path.of("WORKFLOW.md");
        private @Nullable Integer port;
        private Path logsRoot = Path.of("log");
        private Map<String, String> environment = System.getenv();
        private @Nullable MeterRegistry registry;
        private Clock clock = Clock.systemUTC();
        private @Nullable Tracker tracker;
        private @Nullable AgentRunner agents;

        private Builder() {}

        /** The workflow file (default {@code ./WORKFLOW.md}). */
        public Builder workflow(Path value) {
            workflow = requireNonNull(value, "workflow");
            return this;
        }

        /** The HTTP port; wins over {@code server.port}; {@code 0} picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, was " + value);
            }
            port = value;
            return this;
        }

        /** Where logs and per-session logs go (default {@code ./log}). */
        public Builder logsRoot(Path value) {
            logsRoot = requireNonNull(value, "logsRoot");
            return this;
        }

        /** The environment {@code $VAR} values resolve against (default: this process's). */
        public Builder environment(Map<String, String> value) {
            environment = Map.copyOf(value);
            return this;
        }

        /** Where runner and engine metrics go (default: a Prometheus registry served at {@code /metrics}). */
        public Builder meterRegistry(MeterRegistry value) {
            registry = requireNonNull(value, "registry");
            return this;
        }

        public Builder clock(Clock value) {
            clock = requireNonNull(value, "clock");
            return this;
        }

        /** A tracker to use instead of the one {@code tracker.kind} names (for embedding and tests). */
        public Builder tracker(Tracker value) {
            tracker = requireNonNull(value, "tracker");
            return this;
        }

        /** An agent runner to use instead of the one {@code agent.kind} names. */
        public Builder agentRunner(AgentRunner value) {
            agents = requireNonNull(value, "agents");
            return this;
        }

        /**
         * Loads the workflow, validates it and starts: an invalid workflow throws {@link WorkflowException}, a port
         * in use {@link UncheckedIOException}.
         */
        public Runner start() {
            WorkflowWatcher watcher = new WorkflowWatcher(workflow, environment);
            RunnerConfig config = watcher.current().config();
            Path directory = watcher.current().file().path().getParent();
            Tracker trackerInUse = tracker != null ? tracker : Trackers.create(config, directory, clock);
            Set<String> hidden = new LinkedHashSet<>(trackerInUse.secretEnvironmentNames());
            hidden.addAll(config.tracker().secretVariables());
            Shell shell = new Shell(hidden);
            MetricsCollector engineMetrics =
                    registry != null ? MetricsCollector.of(registry) : MetricsCollector.prometheus();
            RunnerMetrics metrics = new RunnerMetrics(engineMetrics.registry());
            Workspaces workspaces = new Workspaces(
                    () -> watcher.current().config(), shell, (hook, r) -> metrics.hook(hook, r.duration()));
            StateManager state = new StateManager(
                    new FileStorageBackend(config.stateDirectory().resolve("sessions"), clock));
            AtomicReference<IssueOrchestrator> self = new AtomicReference<>();
            AgentRunner agentsInUse = agents != null
                    ? agents
                    : config.agent().kind().equals("codex")
                            ? new CodexAgentRunner(() -> watcher.current().config(), hidden)
                            : new TopologyAgentRunner(new TopologyAgentRunner.Setup(
                                    () -> watcher.current().config(),
                                    trackerInUse,
                                    shell,
                                    config.agent().commandSandbox().equals("none")
                                            ? CommandSandbox.none()
                                            : CommandSandbox.namespace(config.stateDirectory(), shell),
                                    state,
                                    clock,
                                    (issue, evidence) -> {
                                        metrics.proof(
                                                Boolean.TRUE.equals(evidence.get("passed")) ? "passed" : "failed");
                                        self.get().recordProof(issue, evidence);
                                    },
                                    engineMetrics,
                                    directory));
            ExecutorService actor = Executors.newSingleThreadExecutor(
                    Thread.ofVirtual().name("orchestra4j-runner-actor").factory());
            Scheduler scheduler = Scheduler.system();
            IssueOrchestrator orchestrator = new IssueOrchestrator(new IssueOrchestrator.Parts(
                    () -> watcher.current().config(),
                    () -> watcher.current().prompt(),
                    watcher::error,
                    watcher::check,
                    trackerInUse,
                    workspaces,
                    agentsInUse,
                    clock,
                    scheduler,
                    actor,
                    Thread.ofVirtual().name("orchestra4j-worker-", 0).factory(),
                    RunnerStore.in(config.stateDirectory()),
                    metrics,
                    logsRoot.toAbsolutePath().resolve("sessions")));
            self.set(orchestrator);
            HttpApi http = null;
            Integer chosen = port != null
                    ? port
                    : config.serverPort().isPresent() ? config.serverPort().getAsInt() : null;
            if (chosen != null) {
                try {
                    http = HttpApi.start(chosen, orchestrator, engineMetrics.registry());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot listen on 127.0.0.1:" + chosen + ": " + e.getMessage(), e);
                }
            }
            watch(watcher, scheduler, orchestrator);
            orchestrator.start();
            LOG.info(
                    "runner started workflow={} tracker={} agent={} port={}",
                    watcher.current().file().path(),
                    config.tracker().kind(),
                    config.agent().kind(),
                    http == null ? "off" : http.port());
            return new Runner(watcher, orchestrator, scheduler, actor, trackerInUse, state, http);
        }

        /** Polls the workflow file every second; a change applied refreshes at once (new interval, new prompt). */
        private static void watch(WorkflowWatcher watcher, Scheduler scheduler, IssueOrchestrator orchestrator) {
            scheduler.schedule(Duration.ofSeconds(1), new Runnable() {
                @Override
                public void run() {
                    try {
                        if (watcher.check()) {
                            orchestrator.requestRefresh();
                        }
                    } finally {
                        scheduler.schedule(Duration.ofSeconds(1), this);
                    }
                }
            });
        }
    }
}
