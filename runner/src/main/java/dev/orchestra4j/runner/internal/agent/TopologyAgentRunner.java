package dev.orchestra4j.runner.internal.agent;

import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.runner.AgentRunner;
import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.Tracker;
import dev.orchestra4j.runner.Turn;
import dev.orchestra4j.runner.TurnOutcome;
import dev.orchestra4j.runner.internal.CommandSandbox;
import dev.orchestra4j.runner.internal.Shell;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code agent.kind: topology}: each turn is one durable {@link OrchestraInstance} session of the configured topology
 * (built-in {@code coding-run}: Planner → Implementer → Reviewer, the Planner may ask the operator). The session's
 * context holds the issue, attempt and workspace; its agents get workspace-confined file and shell tools and the
 * tracker's operations; every step is checkpointed to the runner's {@link StateManager}, so a turn interrupted by a
 * crash is recovered from its last step by {@link Turn.Start.Recover}. An interrupted turn pauses its session.
 */
public final class TopologyAgentRunner implements AgentRunner {

    /** The built-in topologies. */
    public static final String CODING_RUN = "coding-run";

    static final Topology CODING_RUN_TOPOLOGY = Topology.builder()
            .edge("Start -> Planner")
            .edge("Planner -> Implementer")
            .edge("Planner -> User")
            .edge("Implementer -> Reviewer")
            .edge("Reviewer -> End")
            .build();

    /**
     * What the runner needs.
     *
     * @param config the current config
     * @param tracker the tracker, for the agent's tools
     * @param shell runs commands without the tracker's secrets
     * @param sandbox where the agents' {@code run_command} runs
     * @param state where sessions are checkpointed
     * @param clock the clock
     * @param proofRecorder told the evidence of every proof-of-work gate run
     * @param listener also receives every session's events (the engine's metrics)
     * @param workflowDirectory where a topology file named by {@code agent.topology} is looked up
     */
    public record Setup(
            Supplier<RunnerConfig> config,
            Tracker tracker,
            Shell shell,
            CommandSandbox sandbox,
            StateManager state,
            Clock clock,
            BiConsumer<Issue, Map<String, Object>> proofRecorder,
            dev.orchestra4j.core.event.OrchestraListener listener,
            java.nio.file.Path workflowDirectory) {}

    static final java.util.Set<String> ROLES = java.util.Set.of("Planner", "Implementer", "Reviewer");

    private final Setup setup;

    /** Checks that {@code agent.topology} names the built-in or a readable topology file over the built-in roles. */
    public TopologyAgentRunner(Setup setup) {
        this.setup = setup;
        topology(setup.config().get());
    }

    /**
     * The topology {@code agent.topology} names: {@code coding-run}, or a YAML/JSON topology file (relative to the
     * workflow) that wires the built-in roles {@code Planner}, {@code Implementer} and {@code Reviewer} differently,
     * e.g. without a Planner. The offline coder expects {@code Implementer -> Reviewer}.
     */
    Topology topology(RunnerConfig config) {
        String name = config.agent().topology();
        if (name.equals(CODING_RUN)) {
            return CODING_RUN_TOPOLOGY;
        }
        java.nio.file.Path file = setup.workflowDirectory().resolve(name).normalize();
        String text;
        try {
            text = java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    "agent.topology '" + name + "' is neither the built-in '" + CODING_RUN
                            + "' nor a readable topology file (" + file + ")",
                    e);
        }
        Topology topology = name.endsWith(".json") ? Topology.fromJson(text) : Topology.fromYaml(text);
        java.util.List<String> unknown = topology.nodes().stream()
                .filter(n -> n.kind() == dev.orchestra4j.topology.NodeKind.AGENT)
                .map(dev.orchestra4j.topology.Node::name)
                .filter(n -> !ROLES.contains(n))
                .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("topology file '" + file + "' names agents " + unknown
                    + " that the runner does not provide; use the roles " + new java.util.TreeSet<>(ROLES));
        }
        return topology;
    }

    @Override
    public TurnOutcome run(Turn turn) throws InterruptedException {
        RunnerConfig config = setup.config().get();
        OrchestraInstance instance = OrchestraInstance.builder()
                .topology(topology(config))
                .agents(agents(turn, config))
                .stateManager(setup.state())
                .executionConfig(execution(config))
                .listener(new Forwarder(turn.activity()))
                .listener(setup.listener())
                .maxSteps(200)
                .clock(setup.clock())
                .build();
        CompletableFuture<OrchestraResult> leg = begin(instance, turn);
        OrchestraResult result;
        try {
            result = leg.get();
        } catch (InterruptedException e) {
            instance.pauseSession(turn.sessionId(), "stopped by the runner");
            throw e;
        } catch (ExecutionException e) {
            instance.close();
            return new TurnOutcome.Failed(String.valueOf(e.getCause().getMessage()));
        }
        instance.close();
        return switch (result.status()) {
            case COMPLETED -> new TurnOutcome.Completed(result.finalResponseAsText());
            case WAITING_FOR_USER ->
                new TurnOutcome.InputRequired(
                        result.pendingQuestions().isEmpty()
                                ? "the agent is waiting for input"
                                : result.pendingQuestions().get(0).question());
            case FAILED, TIMED_OUT, CANCELLED, PAUSED ->
                new TurnOutcome.Failed(
                        "session " + result.status() + ": " + result.error().orElse("no error given"));
        };
    }

    private CompletableFuture<OrchestraResult> begin(OrchestraInstance instance, Turn turn) {
        return switch (turn.start()) {
            case Turn.Start.Fresh fresh ->
                instance.start(fresh.prompt(), context(turn)).result();
            case Turn.Start.Recover recover ->
                CompletableFuture.supplyAsync(
                        () -> instance.recoverSession(turn.sessionId(), Map.of()),
                        r -> Thread.ofVirtual().start(r));
            case Turn.Start.Answer answer ->
                CompletableFuture.supplyAsync(
                        () -> instance.respond(turn.sessionId(), answer.answer()),
                        r -> Thread.ofVirtual().start(r));
        };
    }

    private static Map<String, Object> context(Turn turn) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("session_id", turn.sessionId());
        context.put("issue", turn.issue().toTemplateValue());
        context.put("attempt", turn.attempt() == null ? 0 : turn.attempt());
        context.put("turn", turn.number());
        context.put("workspace", turn.workspace().toString());
        return context;
    }

    private static ExecutionConfig execution(RunnerConfig config) {
        Duration tool = config.proofOfWork().timeout().plus(Duration.ofMinutes(1));
        return ExecutionConfig.builder()
                .stepTimeout(config.codex().turnTimeout().plus(tool))
                .toolTimeout(tool)
                .branchTimeout(config.codex().turnTimeout().plus(tool).multipliedBy(3))
                .build();
    }

    private AgentRegistry agents(Turn turn, RunnerConfig config) {
        WorkspaceTools files = new WorkspaceTools(
                turn.workspace(),
                setup.shell(),
                setup.sandbox(),
                config.proofOfWork().timeout(),
                turn.activity()::heartbeat);
        TrackerTools tracker = new TrackerTools(
                turn.issue(),
                setup.tracker(),
                config,
                new ProofGate(setup.shell(), setup.clock()),
                files.workspace(),
                setup.proofRecorder(),
                turn.activity()::heartbeat);
        OfflineCoder coder = new OfflineCoder(
                turn.issue(), config.proofOfWork().commands(), config.agent().handoffState());
        ScriptedChatModel model = ScriptedChatModel.builder()
                .otherwise(request -> switch (agentOf(request)) {
                    case "Planner" -> coder.planner(request);
                    case "Implementer" -> coder.implementer(request);
                    default -> coder.reviewer(request);
                })
                .tokenUsage(120, 40)
                .build();
        AgentRegistry registry = AgentRegistry.create();
        for (String role : ROLES) {
            LlmAgent.Builder agent = LlmAgent.builder()
                    .name(role)
                    .model(model)
                    .systemPrompt("You are the " + role + " of a coding run on issue "
                            + turn.issue().identifier() + ". Work only inside the workspace.");
            registry.register(role, tracker.addTo(files.addTo(agent)).build());
        }
        return registry;
    }

    private static String agentOf(dev.langchain4j.model.chat.request.ChatRequest request) {
        String system = request.messages().isEmpty()
                ? ""
                : String.valueOf(request.messages().get(0));
        for (String role : new String[] {"Planner", "Implementer", "Reviewer"}) {
            if (system.contains("You are the " + role + " ")) {
                return role;
            }
        }
        return "Reviewer";
    }

    /** Forwards session events to the runner as agent activity. */
    private static final class Forwarder implements dev.orchestra4j.core.event.OrchestraListener {
        private final Turn.Activity activity;
        private final AtomicLong input = new AtomicLong();
        private final AtomicLong output = new AtomicLong();

        Forwarder(Turn.Activity activity) {
            this.activity = activity;
        }

        @Override
        public void onEvent(OrchestraEvent event) {
            switch (event) {
                case OrchestraEvent.StepStarted s -> activity.event("step_started", s.agent() + " step " + s.step());
                case OrchestraEvent.StepCompleted s -> {
                    activity.event("step_completed", s.agent() + " " + s.action() + " tools=" + s.toolCalls());
                    activity.tokens(input.addAndGet(s.inputTokens()), output.addAndGet(s.outputTokens()));
                }
                case OrchestraEvent.StepFailed s -> activity.event("step_failed", s.agent() + ": " + s.message());
                case OrchestraEvent.UserQuestionAsked q -> activity.event("turn_input_required", "question asked");
                default -> {}
            }
        }
    }
}
