package dev.orchestra4j.examples;

import static dev.orchestra4j.core.llm.ScriptedChatModel.finish;
import static dev.orchestra4j.core.llm.ScriptedChatModel.fork;
import static dev.orchestra4j.core.llm.ScriptedChatModel.invoke;
import static dev.orchestra4j.core.llm.ScriptedChatModel.toolCall;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.orchestra4j.core.AgentRegistry;
import dev.orchestra4j.core.Invocation;
import dev.orchestra4j.core.Orchestra;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.RunOptions;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.core.llm.ScriptedChatModel;
import dev.orchestra4j.topology.PatternConfig;
import dev.orchestra4j.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The main demo: a research team of {@link LlmAgent}s. The {@code Researcher} hub forks three spokes in parallel, each
 * calls its own (offline) tool and reports back; the hub hands the merged notes to the {@code Writer}, who finishes
 * with a structured report (title, summary, sections) that {@code finalResponseAsText()} renders as Markdown.
 *
 * <pre>
 * Start -> Researcher
 * Researcher <-> WebSearch, Researcher <-> Papers, Researcher <-> Stats   (parallel spokes)
 * Researcher -> Writer -> End                                            (and Researcher -> End)
 * </pre>
 *
 * <p>Offline, every agent runs on one {@link ScriptedChatModel} ({@link #offlineModel()}), so the real tool-call path
 * runs: the model calls {@code invoke_agent} with three invocations (a fork), each spoke calls its regular tool and
 * then {@code invoke_agent(Researcher, …)} with the tool's result, and the Writer calls {@code finish}. Pass any other
 * {@link ChatModel} (OpenAI, Ollama) to {@link #run} to let a real model make the same decisions.
 *
 * <p>Whether the report may be written when a spoke fails is the convergence policy's call: under {@code STRICT} (the
 * default) the run fails naming the spoke, under {@code MAJORITY} two of three spokes are enough.
 */
public final class ResearchAndReport {

    public static final String DEFAULT_QUESTION = "How do Java 21 virtual threads change the design of server code?";

    static final List<String> SPOKES = List.of("WebSearch", "Papers", "Stats");

    /** How many calls an unavailable spoke's model fails (more than any sensible retry budget). */
    private static final int UNAVAILABLE_CALLS = 20;

    static final Map<String, AiMessage> TOOL_CALLS = Map.of(
            "WebSearch", toolCall("searchWeb", "{\"query\": \"virtual threads server design\"}"),
            "Papers", toolCall("findPapers", "{\"topic\": \"virtual threads\"}"),
            "Stats", toolCall("lookUpStatistic", "{\"metric\": \"memory per thread\"}"));

    private static final Map<String, String> HEADINGS =
            Map.of("WebSearch", "From practitioners", "Papers", "From research", "Stats", "By the numbers");

    private static final String RESEARCHER_PROMPT = """
            You lead a research team. Send the question to WebSearch, Papers and Stats in one invoke_agent call so \
            they work in parallel. When their answers are back, hand your notes to Writer.""";

    private static final String SPOKE_PROMPT = """
            You are a research assistant. Use your tool once, then send what you found back to Researcher with \
            invoke_agent. Quote the tool's findings; do not invent sources.""";

    private static final String WRITER_PROMPT = """
            You write short research reports. Finish with a title, a two-sentence summary and one section per \
            source in the notes.""";

    private static final JsonObjectSchema REPORT_SCHEMA = JsonObjectSchema.builder()
            .addStringProperty("title")
            .addStringProperty("summary")
            .addProperty(
                    "sections",
                    JsonArraySchema.builder()
                            .items(JsonObjectSchema.builder()
                                    .addStringProperty("title")
                                    .addStringProperty("content")
                                    .required("title", "content")
                                    .build())
                            .build())
            .required("title", "summary", "sections")
            .build();

    private ResearchAndReport() {}

    /** The hub-and-spoke pattern with parallel spokes, plus a Writer between the hub and End. */
    public static Topology topology() {
        return PatternConfig.hubAndSpoke("Researcher", SPOKES, true).toBuilder()
                .edge("Researcher -> Writer")
                .edge("Writer -> End")
                .build();
    }

    /** One {@link LlmAgent} per node, all on {@code model}; the spokes get their offline tools. */
    public static AgentRegistry agents(ChatModel model) {
        return AgentRegistry.create()
                .register("Researcher", agent("Researcher", model, RESEARCHER_PROMPT))
                .register("WebSearch", agent("WebSearch", model, SPOKE_PROMPT, new WebSearchTools()))
                .register("Papers", agent("Papers", model, SPOKE_PROMPT, new PaperTools()))
                .register("Stats", agent("Stats", model, SPOKE_PROMPT, new StatsTools()))
                .register(
                        "Writer",
                        LlmAgent.builder()
                                .name("Writer")
                                .model(model)
                                .systemPrompt(WRITER_PROMPT)
                                .outputSchema(REPORT_SCHEMA)
                                .build());
    }

    /**
     * Runs the research team on {@code question}.
     *
     * @param options the caller's settings (status output, listeners, convergence policy, error handling); this
     *     method sets the agents
     */
    public static OrchestraResult run(String question, ChatModel model, RunOptions.Builder options) {
        return Orchestra.run(question, topology(), options.agents(agents(model)).build());
    }

    /** A scripted model that plays every agent of this example, offline and deterministically. */
    public static ScriptedChatModel offlineModel() {
        return offlineModel(Set.of());
    }

    /**
     * Like {@link #offlineModel()}, but the model behind each spoke in {@code unavailable} answers "503 Service
     * Unavailable" (a retryable {@link InternalServerException}) on every call.
     */
    public static ScriptedChatModel offlineModel(Set<String> unavailable) {
        ScriptedChatModel.Builder script = ScriptedChatModel.builder()
                .agent(
                        "Researcher",
                        fork(
                                Invocation.of("WebSearch", "Find what practitioners write about this question."),
                                Invocation.of("Papers", "Find research or JEPs that answer this question."),
                                Invocation.of("Stats", "Find numbers that show the effect.")))
                .agent("Researcher", request -> invoke("Writer", "Notes for the report:\n\n" + inputOf(request)))
                .agent("Writer", request -> finish(report(spokeNotes(inputOf(request)))))
                .tokenUsage(220, 45);
        for (String spoke : SPOKES) {
            if (unavailable.contains(spoke)) {
                for (int call = 0; call < UNAVAILABLE_CALLS; call++) {
                    script.agent(spoke, request -> {
                        throw new InternalServerException("503 Service Unavailable from the model behind " + spoke);
                    });
                }
            } else {
                script.agent(spoke, TOOL_CALLS.get(spoke))
                        .agent(spoke, request -> invoke("Researcher", Transcripts.lastToolResult(request)));
            }
        }
        return script.build();
    }

    private static String inputOf(ChatRequest request) {
        return Transcripts.lastUserText(request);
    }

    /** The blocks of the spokes in the Writer's input (which also has a {@code [from Researcher]} header). */
    static Map<String, String> spokeNotes(String input) {
        Map<String, String> notes = new LinkedHashMap<>(Transcripts.blocks(input));
        notes.keySet().retainAll(SPOKES);
        return notes;
    }

    /** The Writer's offline report: one section per source the notes came from. */
    static Map<String, Object> report(Map<String, String> notes) {
        List<Map<String, String>> sections = new ArrayList<>();
        notes.forEach((source, text) ->
                sections.add(Map.of("title", HEADINGS.getOrDefault(source, source), "content", text)));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("title", "Virtual threads and server design");
        report.put(
                "summary",
                "Virtual threads make thread-per-request code scale again: write blocking code, drop most reactive"
                        + " plumbing, and size pools by resources instead of threads. (" + notes.size()
                        + " of 3 sources.)");
        report.put("sections", sections);
        return report;
    }

    private static LlmAgent agent(String name, ChatModel model, String prompt, Object... tools) {
        return LlmAgent.builder()
                .name(name)
                .model(model)
                .systemPrompt(prompt)
                .tools(tools)
                .build();
    }

    /** An offline web search over a few canned articles. */
    public static final class WebSearchTools {
        @Tool("Searches the web and returns the most relevant snippets")
        public String searchWeb(@P("what to search for") String query) {
            return "Practitioners report that with virtual threads a plain blocking handler per request scales to"
                    + " tens of thousands of concurrent requests; the advice is to stop pooling threads and to guard"
                    + " scarce resources (connections) with semaphores instead. (query: " + query + ")";
        }
    }

    /** An offline paper index. */
    public static final class PaperTools {
        @Tool("Finds papers and specifications on a topic")
        public String findPapers(@P("the topic") String topic) {
            return "JEP 444 (Java 21) makes virtual threads final: cheap threads scheduled by the JDK on a few carrier"
                    + " threads; blocking I/O unmounts them. Pinning inside synchronized blocks is the main caveat."
                    + " (topic: " + topic + ")";
        }
    }

    /** An offline statistics service. */
    public static final class StatsTools {
        @Tool("Looks up a published statistic")
        public String lookUpStatistic(@P("the metric") String metric) {
            return "A virtual thread costs about a kilobyte of heap at rest versus about a megabyte of reserved stack"
                    + " for a platform thread; a million concurrent sleeping virtual threads fit in a few GB."
                    + " (metric: " + metric + ")";
        }
    }
}
