package dev.orchestra4j.examples;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.AgentResponse;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.OrchestraInstance;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.ToolCallRecord;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.core.replay.Fork;
import dev.orchestra4j.core.replay.ModelCall;
import dev.orchestra4j.core.replay.RecordedStep;
import dev.orchestra4j.core.replay.Recording;
import dev.orchestra4j.core.replay.Replay;
import dev.orchestra4j.core.replay.RunDiff;
import dev.orchestra4j.state.FileStorageBackend;
import dev.orchestra4j.state.StateManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The CLI's debugging commands over the research team ({@link ResearchAndReport}) and a file-backed {@link
 * StateManager} (issue #19): record a run, inspect it step by step, replay it offline, fork it, compare two runs.
 *
 * <pre>
 * record  --state DIR --session ID                         run the team with recording on
 * inspect ID --state DIR [--step N] [--mermaid]            the step list, one step in full, or a Mermaid diagram
 * replay  ID --state DIR [--writer-prompt TEXT]            run it again offline; reports a divergence
 * fork    ID --step N --as NEW --state DIR [--writer brief] [--replay]
 * diff    ID OTHER --state DIR                             where two runs differ
 * </pre>
 *
 * <p>Offline, the team runs on a scripted model that decides from each request (like a sensible model would), so a
 * fork's live steps get the answers their requests call for.
 */
final class DebugCommands {

    private static final Pattern IDENTITY = Pattern.compile("You are the agent \"([^\"]+)\"");

    private final Map<String, String> env;
    private final PrintStream out;

    DebugCommands(Map<String, String> env, PrintStream out) {
        this.env = Map.copyOf(env);
        this.out = out;
    }

    /** The options of a command line: {@code --name value} pairs and flags, plus positional arguments. */
    record Args(List<String> positional, Map<String, String> options) {

        static Args parse(Deque<String> rest, List<String> flags) {
            List<String> positional = new java.util.ArrayList<>();
            Map<String, String> options = new LinkedHashMap<>();
            while (!rest.isEmpty()) {
                String arg = rest.poll();
                if (arg.startsWith("--")) {
                    String name = arg.substring(2);
                    if (flags.contains(name)) {
                        options.put(name, "true");
                    } else {
                        String value = rest.poll();
                        if (value == null) {
                            throw new IllegalArgumentException("option '" + arg + "' needs a value");
                        }
                        options.put(name, value);
                    }
                } else {
                    positional.add(arg);
                }
            }
            return new Args(List.copyOf(positional), Map.copyOf(options));
        }

        String required(String name) {
            String value = options.get(name);
            if (value == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }

        String positional(int index, String what) {
            if (positional.size() <= index) {
                throw new IllegalArgumentException(what + " is required");
            }
            return positional.get(index);
        }

        int number(String name) {
            String value = required(name);
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " takes a number, was '" + value + "'", e);
            }
        }
    }

    private static StateManager storage(Args args) {
        return new StateManager(new FileStorageBackend(Path.of(args.required("state"))));
    }

    private static OrchestraInstance instance(AgentRegistry agents, StateManager manager) {
        return OrchestraInstance.builder()
                .topology(ResearchAndReport.topology())
                .agents(agents)
                .stateManager(manager)
                .build();
    }

    /** {@code record --state DIR --session ID}. */
    int record(Args args) {
        String session = args.required("session");
        Optional<Models.Choice> choice = Models.fromEnvironment(env);
        ChatModel model = choice.map(Models.Choice::model).orElseGet(DebugCommands::deciding);
        out.println("model: " + choice.map(Models.Choice::description).orElse("offline scripted model"));
        try (StateManager manager = storage(args)) {
            OrchestraResult result = instance(ResearchAndReport.agents(model), manager)
                    .execute(ResearchAndReport.DEFAULT_QUESTION, Map.of("session_id", session), 100);
            out.println("recorded session " + session + ": " + result.status() + ", "
                    + Recording.read(manager, session).steps().size() + " steps");
            return result.success() ? Cli.OK : Cli.RUN_FAILED;
        }
    }

    /** {@code inspect ID --state DIR [--step N] [--mermaid]}. */
    int inspect(Args args) {
        String session = args.positional(0, "the session id");
        try (StateManager manager = storage(args)) {
            Recording recording = Recording.read(manager, session);
            if (args.options().containsKey("mermaid")) {
                out.print(recording.toMermaid());
            } else if (args.options().containsKey("step")) {
                int n = args.number("step");
                RecordedStep step = recording
                        .step(n)
                        .orElseThrow(() -> new IllegalArgumentException("session '" + session + "' has no step " + n
                                + " (it has " + recording.steps().size() + ")"));
                printStep(step);
            } else {
                printSteps(recording);
            }
            return Cli.OK;
        }
    }

    private void printSteps(Recording recording) {
        out.printf(
                Locale.ROOT,
                "session %s: %d steps, %d tokens%n",
                recording.sessionId(),
                recording.steps().size(),
                recording.totalTokens());
        out.printf(
                Locale.ROOT,
                "%-5s %-12s %-7s %-36s %7s %6s %6s %6s%n",
                "step",
                "agent",
                "branch",
                "decision",
                "tokens",
                "ms",
                "model",
                "tools");
        for (RecordedStep s : recording.steps()) {
            String decision = s.action() + (s.targets().isEmpty() ? "" : " → " + String.join(", ", s.targets()));
            out.printf(
                    Locale.ROOT,
                    "%-5d %-12s %-7s %-36s %7d %6d %6d %6d%s%n",
                    s.step(),
                    s.agent(),
                    s.branchId(),
                    decision,
                    s.inputTokens() + s.outputTokens(),
                    s.duration().toMillis(),
                    s.modelCalls().size(),
                    s.toolCalls().size(),
                    s.copiedFrom().map(from -> "  (copied from " + from + ")").orElse(""));
        }
    }

    private void printStep(RecordedStep s) {
        out.printf(
                Locale.ROOT,
                "step %d: %s on %s, attempt %d, %d ms%n",
                s.step(),
                s.agent(),
                s.branchId(),
                s.attempt(),
                s.duration().toMillis());
        out.println("== input");
        out.println(String.valueOf(s.input()).strip());
        out.println("== output (" + s.action() + (s.targets().isEmpty() ? "" : " → " + s.targets()) + ")");
        out.println(s.error().orElse(String.valueOf(s.output())).strip());
        int i = 1;
        for (ModelCall call : s.modelCalls()) {
            out.printf(
                    Locale.ROOT,
                    "== model call %d: %d+%d tokens, %d ms, tools %s, request %s%n",
                    i++,
                    call.inputTokens(),
                    call.outputTokens(),
                    call.duration().toMillis(),
                    call.tools(),
                    call.requestDigest().substring(0, 12));
            out.println("   response: " + call.response());
        }
        i = 1;
        for (ToolCallRecord call : s.toolCalls()) {
            out.printf(
                    Locale.ROOT,
                    "== tool call %d: %s %s%s%n   result: %s%n",
                    i++,
                    call.name(),
                    call.arguments(),
                    call.failed() ? " (failed)" : "",
                    call.result());
        }
    }

    /** {@code replay ID --state DIR [--writer-prompt TEXT]}. */
    int replay(Args args) {
        String session = args.positional(0, "the session id");
        AgentRegistry agents = ResearchAndReport.agents(REFUSING);
        String prompt = args.options().get("writer-prompt");
        if (prompt != null) {
            LlmAgent writer = (LlmAgent) agents.find("Writer").orElseThrow();
            agents.register("Writer", writer.toBuilder().systemPrompt(prompt).build());
        }
        try (StateManager manager = storage(args)) {
            Replay replay = instance(agents, manager).replay(session);
            if (replay.divergence().isPresent()) {
                var d = replay.divergence().get();
                out.println("replay of " + session + " " + d);
                out.println("  expected request: " + abbreviate(d.expected()));
                out.println("  actual request:   " + abbreviate(d.actual()));
                return Cli.RUN_FAILED;
            }
            out.println("replay of " + session + " matches the recording: "
                    + replay.result().status() + ", "
                    + replay.result().executionTrace().size() + " steps, no model called");
            out.println(replay.result().finalResponseAsText().strip());
            return replay.matchesRecording() ? Cli.OK : Cli.RUN_FAILED;
        }
    }

    /** {@code fork ID --step N --as NEW --state DIR [--writer brief] [--replay]}. */
    int fork(Args args) {
        String session = args.positional(0, "the session id");
        Fork fork = Fork.atStep(args.number("step"));
        String writer = args.options().get("writer");
        if (writer != null) {
            if (!writer.equals("brief")) {
                throw new IllegalArgumentException("--writer takes 'brief', was '" + writer + "'");
            }
            fork = fork.withAgent("Writer", DebugCommands::briefWriter);
        }
        if (args.options().containsKey("replay")) {
            fork = fork.replayUntilDivergence();
        }
        Optional<Models.Choice> choice = Models.fromEnvironment(env);
        ChatModel model = choice.map(Models.Choice::model).orElseGet(DebugCommands::deciding);
        try (StateManager manager = storage(args)) {
            Replay result = instance(ResearchAndReport.agents(model), manager).fork(session, fork, args.required("as"));
            out.println("fork " + result.sessionId() + " of " + session + ": "
                    + result.result().status()
                    + result.divergence().map(d -> ", " + d).orElse(""));
            if (result.result().finalResponse() != null) {
                out.println(result.result().finalResponseAsText().strip());
            }
            return result.result().success() ? Cli.OK : Cli.RUN_FAILED;
        }
    }

    /** {@code diff ID OTHER --state DIR}. */
    int diff(Args args) {
        try (StateManager manager = storage(args)) {
            out.print(RunDiff.between(
                    manager, args.positional(0, "the first session id"), args.positional(1, "the second session id")));
            return Cli.OK;
        }
    }

    /** A Writer that lists its sources instead of writing a report: what {@code fork --writer brief} swaps in. */
    static AgentResponse briefWriter(dev.orchestra4j.core.AgentRequest request) {
        return AgentResponse.finish("Brief: sources "
                + String.join(
                        ", ", ResearchAndReport.spokeNotes(request.inputText()).keySet()));
    }

    /** A model for replays: answering is the recording's job, so any call is an error. */
    private static final ChatModel REFUSING = new ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            throw new IllegalStateException("the model was called during an offline replay");
        }
    };

    /** The team's offline model, deciding from each request (its agent and last message), not from call order. */
    static ScriptedChatModel deciding() {
        return ScriptedChatModel.builder()
                .otherwise(DebugCommands::decide)
                .tokenUsage(220, 45)
                .build();
    }

    private static dev.langchain4j.data.message.AiMessage decide(ChatRequest request) {
        String agent = agentOf(request.messages());
        ChatMessage last = request.messages().getLast();
        return switch (agent) {
            case "Researcher" -> {
                String input = Transcripts.lastUserText(request);
                yield input.contains("[from ")
                        ? invoke("Writer", "Notes for the report:\n\n" + input)
                        : ScriptedChatModel.fork(
                                Invocation.of("WebSearch", "Find what practitioners write about this question."),
                                Invocation.of("Papers", "Find research or JEPs that answer this question."),
                                Invocation.of("Stats", "Find numbers that show the effect."));
            }
            case "Writer" ->
                finish(ResearchAndReport.report(ResearchAndReport.spokeNotes(Transcripts.lastUserText(request))));
            default ->
                last instanceof ToolExecutionResultMessage
                        ? invoke("Researcher", Transcripts.lastToolResult(request))
                        : ResearchAndReport.TOOL_CALLS.get(agent);
        };
    }

    private static String agentOf(List<ChatMessage> messages) {
        for (ChatMessage message : messages) {
            if (message instanceof SystemMessage system) {
                Matcher matcher = IDENTITY.matcher(system.text());
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
        }
        throw new IllegalStateException("no agent identity in the request's system message");
    }

    private static String abbreviate(@Nullable String text) {
        String flat = String.valueOf(text).replace('\n', ' ');
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
