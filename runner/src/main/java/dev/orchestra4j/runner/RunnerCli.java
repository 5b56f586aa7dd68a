package dev.orchestra4j.runner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code orchestra4j-runner [--logs-root <path>] [--port <n>] [WORKFLOW.md]}, which also needs {@value #GUARDRAILS}
 * (like Symphony's CLI). Exit codes: 0 after a clean shutdown (SIGTERM, Ctrl-C), 1 when the workflow is missing or
 * invalid or the runner cannot start, 2 for a usage error.
 */
public final class RunnerCli {

    public static final String GUARDRAILS = "--i-understand-that-this-will-be-running-without-the-usual-guardrails";

    private RunnerCli() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses, starts and blocks until shutdown; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path logsRoot = Path.of("log");
        Integer port = null;
        boolean acknowledged = false;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--logs-root" -> {
                    if (++i >= args.length) {
                        return usage(err, "--logs-root needs a path");
                    }
                    logsRoot = Path.of(args[i]);
                }
                case "--port" -> {
                    if (++i >= args.length || !args[i].matches("[0-9]{1,5}") || Integer.parseInt(args[i]) > 65_535) {
                        return usage(err, "--port needs a number from 0 to 65535");
                    }
                    port = Integer.parseInt(args[i]);
                }
                case GUARDRAILS -> acknowledged = true;
                case "-h", "--help" -> {
                    usage(out, null);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("--")) {
                        return usage(err, "unknown option '" + args[i] + "'");
                    }
                    positional.add(args[i]);
                }
            }
        }
        if (positional.size() > 1) {
            return usage(err, "expected at most one WORKFLOW.md path, got " + positional);
        }
        if (!acknowledged) {
            err.println("orchestra4j-runner runs coding agents on your tracker's issues without the usual guardrails."
                    + " Re-run with " + GUARDRAILS + " to confirm.");
            return 1;
        }
        Path workflow = Path.of(positional.isEmpty() ? "WORKFLOW.md" : positional.get(0));
        try {
            RunnerLogs.configure(logsRoot);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            err.println("orchestra4j-runner: " + e.getMessage());
            return 1;
        }
        Runner.Builder builder = Runner.builder().workflow(workflow).logsRoot(logsRoot);
        if (port != null) {
            builder.port(port);
        }
        Runner runner;
        try {
            runner = builder.start();
        } catch (WorkflowException e) {
            err.println("orchestra4j-runner: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("orchestra4j-runner: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
            // a SIGTERM or Ctrl-C is this daemon's normal way to stop: report it as a clean exit
            Runtime.getRuntime().halt(0);
        }));
        out.println("orchestra4j-runner started: workflow="
                + workflow.toAbsolutePath().normalize()
                + runner.url().map(u -> " api=" + u).orElse(""));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int usage(PrintStream stream, String problem) {
        if (problem != null) {
            stream.println("orchestra4j-runner: " + problem);
        }
        stream.println("usage: orchestra4j-runner [--logs-root <path>] [--port <n>] " + GUARDRAILS + " [WORKFLOW.md]");
        return problem == null ? 0 : 2;
    }
}
