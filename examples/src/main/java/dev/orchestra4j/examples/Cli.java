package dev.orchestra4j.examples;

import dev.orchestra4j.core.ExecutionConfig;
import dev.orchestra4j.core.OrchestraResult;
import dev.orchestra4j.core.StatusConfig;
import dev.orchestra4j.core.Verbosity;
import dev.orchestra4j.core.event.OrchestraEvent;
import dev.orchestra4j.core.event.OrchestraListener;
import dev.orchestra4j.metrics.ConsoleReporter;
import dev.orchestra4j.metrics.MetricsCollector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs the examples from the command line, offline unless a model is configured.
 *
 * <pre>
 * list                                              the examples
 * run [example] [--verbosity quiet|normal|verbose]  run one (default research-and-report, verbosity normal)
 * </pre>
 *
 * <p>From the repository root: {@code mvn -B -q -pl examples exec:java -Dexec.args="run coding-run"}.
 *
 * <p>A run prints live status, the final answer, the run as a Mermaid sequence diagram and a metrics summary. The
 * exit code is 0 when the run completed, 1 when it did not, 2 for a usage error.
 */
public final class Cli {

    static final int OK = 0;
    static final int RUN_FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            usage: orchestra4j-examples [list | run [<example>] [--verbosity quiet|normal|verbose] | record | inspect
                                         | replay | fork | diff]
              list        show the examples
              run         run one example (default: research-and-report)
              record --state DIR --session ID                      record a research-and-report run
              inspect ID --state DIR [--step N] [--mermaid]        its steps, one step in full, or a diagram
              replay ID --state DIR [--writer-prompt TEXT]         run it again offline from the recording
              fork ID --step N --as NEW --state DIR [--writer brief] [--replay]
              diff ID OTHER --state DIR                            where two recorded runs differ
            LLM-driven examples use OPENAI_API_KEY (OPENAI_MODEL, OPENAI_BASE_URL) or OLLAMA_BASE_URL (OLLAMA_MODEL)
            when set, and an offline scripted model otherwise.""";

    /** Where the CLI reads answers and writes its output. */
    record Console(InputStream in, PrintStream out, PrintStream err) {}

    private final List<Gallery.Example> examples;
    private final Map<String, String> env;
    private final Console console;

    Cli(List<Gallery.Example> examples, Map<String, String> env, Console console) {
        this.examples = List.copyOf(examples);
        this.env = Map.copyOf(env);
        this.console = console;
    }

    public static void main(String[] args) {
        Console console = new Console(System.in, System.out, System.err);
        int code = new Cli(Gallery.ALL, System.getenv(), console).run(args);
        if (code != OK) {
            System.exit(code);
        }
    }

    /** Everything {@link #main} does; returns the exit code. */
    int run(String... args) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        String command = rest.isEmpty() ? "run" : rest.poll();
        return switch (command) {
            case "list" -> list();
            case "run" -> run(rest);
            case "record", "inspect", "replay", "fork", "diff" -> debug(command, rest);
            case "help", "-h", "--help" -> {
                console.out().println(USAGE_TEXT);
                yield OK;
            }
            default -> usage("unknown command '" + command + "'");
        };
    }

    /** The debugging commands (issue #19); a bad argument is a usage error naming it. */
    private int debug(String command, Deque<String> rest) {
        DebugCommands debug = new DebugCommands(env, console.out());
        try {
            DebugCommands.Args args = DebugCommands.Args.parse(rest, List.of("mermaid", "replay"));
            return switch (command) {
                case "record" -> debug.record(args);
                case "inspect" -> debug.inspect(args);
                case "replay" -> debug.replay(args);
                case "fork" -> debug.fork(args);
                default -> debug.diff(args);
            };
        } catch (IllegalArgumentException | dev.orchestra4j.core.SessionException e) {
            return usage(command + ": " + e.getMessage());
        }
    }

    private int list() {
        for (Gallery.Example example : examples) {
            console.out()
                    .printf(
                            Locale.ROOT,
                            "%-20s %s%s%n",
                            example.name(),
                            example.summary(),
                            example.llmDriven() ? " [LLM]" : "");
        }
        return OK;
    }

    private int run(Deque<String> rest) {
        String name = Gallery.DEFAULT;
        Verbosity verbosity = Verbosity.NORMAL;
        while (!rest.isEmpty()) {
            String arg = rest.poll();
            if (arg.equals("--verbosity") || arg.equals("-v")) {
                Optional<Verbosity> parsed = verbosity(rest.poll());
                if (parsed.isEmpty()) {
                    return usage("--verbosity takes quiet, normal or verbose");
                }
                verbosity = parsed.get();
            } else if (arg.startsWith("-")) {
                return usage("unknown option '" + arg + "'");
            } else {
                name = arg;
            }
        }
        String wanted = name;
        Optional<Gallery.Example> example =
                examples.stream().filter(e -> e.name().equals(wanted)).findFirst();
        if (example.isEmpty()) {
            console.err()
                    .println("unknown example '" + name + "'; the examples are: "
                            + String.join(
                                    ", ",
                                    examples.stream().map(Gallery.Example::name).toList()));
            return USAGE;
        }
        return run(example.get(), verbosity);
    }

    private int run(Gallery.Example example, Verbosity verbosity) {
        PrintStream out = console.out();
        Optional<Models.Choice> model = example.llmDriven() ? Models.fromEnvironment(env) : Optional.empty();
        out.println("== " + example.name() + ": " + example.summary());
        out.println("model: " + describe(example, model));
        MetricsCollector metrics = MetricsCollector.of(new SimpleMeterRegistry());
        Settled settled = new Settled(metrics);
        ExecutionConfig execution = ExecutionConfig.builder()
                .status(StatusConfig.fromVerbosity(verbosity).withOut(out))
                .build();
        OrchestraResult result;
        try {
            result = example.run().apply(new Gallery.Setup(model, execution, settled, console.in(), out));
        } catch (RuntimeException e) {
            console.err().println("== " + example.name() + " could not run: " + e);
            return RUN_FAILED;
        }
        settled.await();
        print(result, metrics, out);
        if (!result.success()) {
            console.err()
                    .println("== " + example.name() + " ended " + result.status() + ": "
                            + result.error().orElse("(no error message)"));
            return RUN_FAILED;
        }
        return OK;
    }

    private static void print(OrchestraResult result, MetricsCollector metrics, PrintStream out) {
        out.println();
        out.println("== Final answer");
        out.println(
                result.finalResponse() == null
                        ? "(none: the run ended " + result.status() + ")"
                        : result.finalResponseAsText().strip());
        out.println();
        out.println("== Run diagram (Mermaid)");
        out.println(result.toMermaid().strip());
        out.println();
        out.println("== Metrics");
        out.print(ConsoleReporter.of(metrics).report());
        out.println("  " + ConsoleReporter.summary(result));
        out.flush();
    }

    private static String describe(Gallery.Example example, Optional<Models.Choice> model) {
        if (!example.llmDriven()) {
            return "none (plain Java agents)";
        }
        return model.map(Models.Choice::description)
                .orElse("offline ScriptedChatModel (set OPENAI_API_KEY or OLLAMA_BASE_URL to use a real model)");
    }

    private static Optional<Verbosity> verbosity(@Nullable String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Verbosity v : Verbosity.values()) {
            if (v.name().equalsIgnoreCase(value)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private int usage(String problem) {
        console.err().println(problem);
        console.err().println(USAGE_TEXT);
        return USAGE;
    }

    /**
     * Forwards events to the metrics collector and notes when the run's last event arrived: listeners are called
     * asynchronously, so the summary waits (briefly) until the collector has seen the run end (a pause is not an end).
     */
    private static final class Settled implements OrchestraListener {
        private final MetricsCollector metrics;
        private final CountDownLatch completed = new CountDownLatch(1);

        Settled(MetricsCollector metrics) {
            this.metrics = metrics;
        }

        @Override
        public void onEvent(OrchestraEvent event) {
            metrics.onEvent(event);
            if (event instanceof OrchestraEvent.RunCompleted done
                    && !done.status().isSuspended()) {
                completed.countDown();
            }
        }

        void await() {
            try {
                completed.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
