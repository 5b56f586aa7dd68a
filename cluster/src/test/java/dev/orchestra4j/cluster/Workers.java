package dev.orchestra4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Worker JVMs started as child processes of a test, with their output lines; every one is killed at {@link #close}. */
final class Workers implements AutoCloseable {

    /** One child worker. */
    static final class Worker {
        final String id;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Worker(String id, Process process) {
            this.id = id;
            this.process = process;
        }

        boolean printed(String line) {
            return lines.stream().anyMatch(l -> l.equals(line));
        }

        long count(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }

        void signal(String signal) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(kill.exitValue()).as("kill -" + signal).isZero();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private final String prefix;
    private final long heartbeatMs;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    Workers(String prefix) {
        this(prefix, 500);
    }

    Workers(String prefix, long heartbeatMs) {
        this.prefix = prefix;
        this.heartbeatMs = heartbeatMs;
    }

    /** Starts a worker JVM and waits until it says READY. */
    Worker start(String id) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx192m",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        WorkerProcess.class.getName(),
                        TestCluster.PG_URL,
                        prefix,
                        id,
                        String.valueOf(heartbeatMs))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Worker w = new Worker(id, p);
        workers.put(id, w);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    w.lines.add(line);
                }
            } catch (IOException e) {
                w.lines.add("IO " + e.getMessage());
            }
        });
        TestCluster.awaitTrue(id + " is READY", Duration.ofSeconds(90), () -> {
            if (!p.isAlive() && !w.printed("READY " + id)) {
                throw new AssertionError(
                        "worker " + id + " exited with " + p.exitValue() + " before READY: " + w.lines);
            }
            return w.printed("READY " + id);
        });
        return w;
    }

    Worker get(String id) {
        return workers.get(id);
    }

    /** SIGKILL: the process dies at once, without running anything. */
    void kill(String id) throws InterruptedException {
        Worker w = workers.get(id);
        w.process.destroyForcibly();
        assertThat(w.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(w.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }

    List<Worker> all() {
        return new ArrayList<>(workers.values());
    }

    @Override
    public void close() {
        for (Worker w : workers.values()) {
            if (w.process.isAlive()) {
                w.signal("CONT"); // a stopped one must be able to die
            }
            w.process.destroyForcibly();
            try {
                w.process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
