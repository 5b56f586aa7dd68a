package dev.orchestra4j.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code orchestra4j-runner} as a child JVM (this test class path), for black-box tests; always killed on close. */
final class RunnerProcess implements AutoCloseable {

    private static final Pattern API = Pattern.compile("api=(http://\\S+)");

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private RunnerProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    static RunnerProcess start(Path workingDirectory, Map<String, String> env, String... args) throws IOException {
        return start(workingDirectory, env, List.of(), args);
    }

    /** Like {@link #start(Path, Map, String...)}, with JVM options such as {@code -Dkey=value}. */
    static RunnerProcess start(Path workingDirectory, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RunnerCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        // an empty HOME: login shells (hooks, bash -lc agents) must not run this machine's profile, which may block
        Path home = Files.createDirectories(workingDirectory.resolve("home"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(env);
        return new RunnerProcess(builder.start());
    }

    /** The API base URL the runner printed. */
    String api() throws Exception {
        Fixtures.await(Duration.ofSeconds(30), "the runner to start: " + output, () -> output.stream()
                .anyMatch(l -> API.matcher(l).find()));
        for (String line : output) {
            Matcher m = API.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no api= line in " + output);
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the runner did not exit within " + timeout + ": " + output);
        }
        return process.exitValue();
    }

    /** Everything the process printed, once it has exited. */
    String text() throws InterruptedException {
        reader.join(Duration.ofSeconds(10));
        return String.join("\n", output);
    }

    void kill9() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }
}
