package dev.orchestra4j.benchmarks.replay;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.RunStatus;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue #19's target: what recording costs per step on the file backend (fsync on). A 10-step pipeline on a {@link
 * StateManager} over {@link FileStorageBackend}, run with recording {@code off} and {@code on}, with plain Java agents
 * ({@code java}: the recording is then one more journal append per step) and with {@code LlmAgent}s ({@code llm}: one
 * model call per step on an in-process model that answers at once, so the recording's serialization is not hidden
 * behind network latency). Every run is a new session. Cost per step = score / 10.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RecordingBench {

    static final int STEPS = 10;
    private static final Pattern IDENTITY = Pattern.compile("You are the agent \"s(\\d+)\"");

    @Param({"java", "llm"})
    String agents;

    @Param({"off", "on"})
    String record;

    private final AtomicLong sessions = new AtomicLong();
    private Topology topology;
    private RunOptions.Builder options;

    @Setup
    public void setUp() throws IOException {
        Topology.Builder t = Topology.builder().edge("Start -> s0");
        for (int i = 0; i < STEPS - 1; i++) {
            t.edge("s" + i + " -> s" + (i + 1));
        }
        topology = t.edge("s" + (STEPS - 1) + " -> End").build();
        StateManager manager =
                new StateManager(new FileStorageBackend(Files.createTempDirectory("o4j-recording-bench")));
        options = RunOptions.builder()
                .agents(agents.equals("llm") ? llmAgents() : javaAgents())
                .stateManager(manager)
                .record(record.equals("on"))
                .maxSteps(STEPS + 1);
        OrchestraResult result = run();
        if (result.status() != RunStatus.COMPLETED || result.totalSteps() != STEPS) {
            throw new IllegalStateException("recording/" + agents + "/" + record + " did not complete: "
                    + result.error().orElse(result.totalSteps() + " steps"));
        }
    }

    private static AgentRegistry javaAgents() {
        AgentRegistry registry = AgentRegistry.create();
        for (int i = 0; i < STEPS; i++) {
            String next = "s" + (i + 1);
            String output = "output of step " + i;
            registry.register(
                    "s" + i,
                    i == STEPS - 1 ? r -> AgentResponse.finish(output) : r -> AgentResponse.handOff(next, output));
        }
        return registry;
    }

    private static AgentRegistry llmAgents() {
        ChatModel model = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                int step = stepOf(request);
                AiMessage reply = step == STEPS - 1
                        ? ScriptedChatModel.finish("the report")
                        : ScriptedChatModel.invoke("s" + (step + 1), "notes of step " + step);
                return ChatResponse.builder()
                        .aiMessage(reply)
                        .tokenUsage(new TokenUsage(200, 20))
                        .build();
            }
        };
        AgentRegistry registry = AgentRegistry.create();
        for (int i = 0; i < STEPS; i++) {
            registry.register(
                    "s" + i,
                    LlmAgent.builder()
                            .name("s" + i)
                            .model(model)
                            .systemPrompt("You are step " + i + " of a pipeline.")
                            .build());
        }
        return registry;
    }

    private static int stepOf(ChatRequest request) {
        for (ChatMessage message : request.messages()) {
            if (message instanceof SystemMessage system) {
                Matcher m = IDENTITY.matcher(system.text());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        throw new IllegalStateException("no agent identity in the request");
    }

    @Benchmark
    public OrchestraResult run() {
        RunOptions run = options.context(Map.of("session_id", "rec-" + sessions.incrementAndGet()))
                .build();
        return Orchestra.run(Map.of("task", "go"), topology, run);
    }

    /**
     * An A/B check that survives a loaded machine better than separate JMH runs: for each agent kind, rounds of {@code
     * runs} runs alternate between recording off and on (the order flips each round), and the medians of the rounds'
     * mean run times are compared. Arguments: rounds (default 20), runs per round (default 50).
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        for (String kind : java.util.List.of("java", "llm")) {
            RecordingBench off = variant(kind, "off");
            RecordingBench on = variant(kind, "on");
            for (int i = 0; i < runs * 2; i++) { // warm-up
                off.run();
                on.run();
            }
            double[] offMicros = new double[rounds];
            double[] onMicros = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    offMicros[r] = meanMicros(off, runs);
                    onMicros[r] = meanMicros(on, runs);
                } else {
                    onMicros[r] = meanMicros(on, runs);
                    offMicros[r] = meanMicros(off, runs);
                }
            }
            double a = median(offMicros);
            double b = median(onMicros);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "%s agents, file backend: recording off %.0f us/run (%.0f us/step), on %.0f us/run (%.0f us/step):"
                            + " +%.0f us/step, %.2fx%n",
                    kind,
                    a,
                    a / STEPS,
                    b,
                    b / STEPS,
                    (b - a) / STEPS,
                    b / a);
        }
    }

    private static RecordingBench variant(String agents, String record) throws IOException {
        RecordingBench bench = new RecordingBench();
        bench.agents = agents;
        bench.record = record;
        bench.setUp();
        return bench;
    }

    private static double meanMicros(RecordingBench bench, int runs) {
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            bench.run();
        }
        return (System.nanoTime() - start) / 1_000.0 / runs;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
