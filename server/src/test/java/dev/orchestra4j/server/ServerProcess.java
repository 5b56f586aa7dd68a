package dev.orchestra4j.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server as a separate JVM ({@link ServerMain} on the test class path, the JDK running the tests), so a test can
 * kill it for real ({@code SIGKILL}: no shutdown hook, nothing flushed) and start another on the same storage.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final URI url;
    private final StringBuffer output;

    private ServerProcess(Process process, URI url, StringBuffer output) {
        this.process = process;
        this.url = url;
        this.output = output;
    }

    /** Starts {@code ServerMain} with {@code args} (plus {@code --port 0}) and waits for its URL. */
    static ServerProcess start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                ServerMain.class.getName(),
                "--port",
                "0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("API_KEY");
        Process process = builder.start();
        CompletableFuture<URI> url = new CompletableFuture<>();
        StringBuffer output = new StringBuffer();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                    int at = line.indexOf("listening on ");
                    if (at >= 0) {
                        url.complete(URI.create(
                                line.substring(at + "listening on ".length()).trim()));
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new AssertionError("the server process ended before listening:\n" + output));
        });
        try {
            return new ServerProcess(process, url.get(90, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the server process did not print its URL:\n" + output, e);
        }
    }

    URI url() {
        return url;
    }

    /** SIGKILL: the process gets no chance to pause sessions, flush or unlock anything. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed server process is still alive");
        }
    }

    /** What the process printed so far (stdout and stderr). */
    String output() {
        return output.toString();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** A graceful stop (SIGTERM runs the shutdown hook). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
