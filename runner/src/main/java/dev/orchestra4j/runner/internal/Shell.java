package dev.orchestra4j.runner.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one shell script ({@code sh -lc}) in a directory with a timeout, without the given secret environment
 * variables, keeping at most {@link #MAX_OUTPUT} bytes of combined output. A timed-out process tree is killed.
 */
public final class Shell {

    /** The most output kept, in bytes (Symphony keeps 2,048 and appends {@code ... (truncated)}). */
    public static final int MAX_OUTPUT = 2048;

    private final Collection<String> hiddenVariables;
    private final Duration heartbeatEvery;

    public Shell(Collection<String> hiddenVariables) {
        this(hiddenVariables, Duration.ofSeconds(10));
    }

    Shell(Collection<String> hiddenVariables, Duration heartbeatEvery) {
        this.hiddenVariables = List.copyOf(hiddenVariables);
        this.heartbeatEvery = heartbeatEvery;
    }

    /**
     * The outcome of a script.
     *
     * @param exitCode the exit code, or -1 after a timeout
     * @param timedOut whether the script was killed at its timeout
     * @param output combined stdout and stderr, truncated
     * @param duration how long it ran
     */
    public record Result(int exitCode, boolean timedOut, String output, Duration duration) {
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    public Result run(String script, Path directory, Duration timeout) {
        return run(script, directory, timeout, () -> {});
    }

    /** Like {@link #run(String, Path, Duration)}, calling {@code heartbeat} every 10 s (by default) while the script runs. */
    public Result run(String script, Path directory, Duration timeout, Runnable heartbeat) {
        ProcessBuilder builder = new ProcessBuilder("sh", "-lc", script).directory(directory.toFile());
        hiddenVariables.forEach(builder.environment()::remove);
        return exec(builder, timeout, heartbeat);
    }

    /**
     * Runs {@code argv} in {@code directory} with exactly {@code environment} (nothing inherited; the hidden variables
     * are dropped even if listed), with the same timeout, output and heartbeat rules as {@link #run(String, Path,
     * Duration, Runnable)}.
     */
    public Result exec(
            List<String> argv, Path directory, Map<String, String> environment, Duration timeout, Runnable heartbeat) {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        hiddenVariables.forEach(builder.environment()::remove);
        return exec(builder, timeout, heartbeat);
    }

    private Result exec(ProcessBuilder builder, Duration timeout, Runnable heartbeat) {
        long start = System.nanoTime();
        builder.redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(
                    127, false, "cannot start " + builder.command().get(0) + ": " + e.getMessage(), elapsed(start));
        }
        Tail tail = new Tail(process.getInputStream());
        Thread reader = Thread.ofVirtual().start(tail);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean finished = false;
            while (!finished && System.nanoTime() < deadline) {
                long slice = Math.min(heartbeatEvery.toNanos(), deadline - System.nanoTime());
                finished = process.waitFor(Math.max(slice, 0), TimeUnit.NANOSECONDS);
                if (!finished) {
                    heartbeat.run();
                }
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                reader.join(Duration.ofSeconds(2));
                return new Result(-1, true, tail.text(), elapsed(start));
            }
            reader.join(Duration.ofSeconds(5));
            return new Result(process.exitValue(), false, tail.text(), elapsed(start));
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, false, tail.text() + "\n(interrupted)", elapsed(start));
        }
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Reads a stream to its end, keeping the first {@link #MAX_OUTPUT} bytes. */
    private static final class Tail implements Runnable {
        private final InputStream in;
        private final byte[] kept = new byte[MAX_OUTPUT];
        private volatile int length;
        private volatile boolean truncated;

        Tail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    int room = MAX_OUTPUT - length;
                    int copy = Math.min(room, n);
                    System.arraycopy(buffer, 0, kept, length, copy);
                    length += copy;
                    truncated |= n > copy;
                }
            } catch (IOException ignored) {
                // the process was killed; keep what was read
            }
        }

        String text() {
            String out = new String(kept, 0, length, StandardCharsets.UTF_8);
            return truncated ? out + "... (truncated)" : out;
        }
    }
}
