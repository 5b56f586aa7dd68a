package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A bounded loopback load test (tagged {@code load}, not in the normal suite): 1,000 concurrent SSE clients on the
 * server-wide stream while workflows are submitted at 200 per second; every client must receive every workflow event,
 * with no gap in the event ids. Run: {@code mvn -pl server test -Dgroups=load -Dserver.excludedGroups=none -Dtest=ServerLoadTest}.
 * Sizes: {@code -Dload.clients=1000 -Dload.rate=200 -Dload.seconds=10}.
 */
@Tag("load")
final class ServerLoadTest {

    private static final int CLIENTS = Integer.getInteger("load.clients", 1000);
    private static final int RATE = Integer.getInteger("load.rate", 200);
    private static final int SECONDS = Integer.getInteger("load.seconds", 10);

    /** One raw SSE reader on a virtual thread: counts workflow events and checks that ids have no gap. */
    private static final class Reader {
        final AtomicInteger workflowEvents = new AtomicInteger();
        final AtomicLong lastId = new AtomicLong();
        final AtomicInteger gaps = new AtomicInteger();
        volatile boolean cutOff;

        void run(URI url, CountDownLatch connected) {
            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("GET /api/events HTTP/1.1\r\nHost: " + url.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
                String line;
                boolean counted = false;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(": stream")) {
                        connected.countDown();
                        counted = true;
                    } else if (line.startsWith("id: ")) {
                        long id = Long.parseLong(line.substring(4).trim());
                        if (lastId.get() != 0 && id != lastId.get() + 1) {
                            gaps.incrementAndGet();
                        }
                        lastId.set(id);
                    } else if (line.equals("event: workflow")) {
                        workflowEvents.incrementAndGet();
                    } else if (line.equals("event: error")) {
                        cutOff = true;
                    }
                }
                if (!counted) {
                    connected.countDown();
                }
            } catch (Exception e) {
                connected.countDown();
            }
        }
    }

    @Test
    void thousandSseClients_200WorkflowsPerSecond_noEventLost() throws Exception {
        try (OrchestraServer server =
                TestServers.start(b -> b.stateManager(new StateManager(StorageBackends.inMemory()))
                        .sseClientBuffer(4096)
                        .heartbeat(Duration.ofSeconds(5)))) {
            URI url = server.url();
            CountDownLatch connected = new CountDownLatch(CLIENTS);
            List<Reader> readers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Reader r = new Reader();
                readers.add(r);
                threads.add(Thread.ofVirtual().start(() -> r.run(url, connected)));
            }
            assertThat(connected.await(60, TimeUnit.SECONDS))
                    .as("all clients connected")
                    .isTrue();

            HttpClient client = HttpClient.newBuilder()
                    .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            int total = RATE * SECONDS;
            List<CompletableFuture<HttpResponse<String>>> submissions = new ArrayList<>();
            AtomicLong latencyNanos = new AtomicLong();
            AtomicInteger retries = new AtomicInteger();
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64);
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * (1e9 / RATE));
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String body = "{\"workflow_id\":\"load-" + i
                        + "\",\"workflow_type\":\"parallel\",\"tasks\":[{\"agent_id\":\"t\","
                        + "\"agent_role\":\"qa\",\"input_data\":{}}]}";
                long sent = System.nanoTime();
                HttpRequest request = HttpRequest.newBuilder(url.resolve("/run-graph"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                inFlight.acquire();
                submissions.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((r, e) -> {
                            if (e == null) {
                                return CompletableFuture.completedFuture(r);
                            }
                            retries.incrementAndGet();
                            return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
                        })
                        .thenCompose(f -> f)
                        .whenComplete((r, e) -> {
                            inFlight.release();
                            latencyNanos.addAndGet(System.nanoTime() - sent);
                        }));
            }
            double submitSeconds = (System.nanoTime() - start) / 1e9;
            int ok = 0;
            for (var f : submissions) {
                int status = f.get(60, TimeUnit.SECONDS).statusCode();
                ok += status == 200 || status == 409 ? 1 : 0;
            }
            int expected = total * 3;
            Eventually.await(
                    "every client to see " + expected + " workflow events",
                    Duration.ofSeconds(120),
                    () -> readers.stream()
                            .mapToInt(r -> r.workflowEvents.get())
                            .min()
                            .orElse(0),
                    n -> n >= expected || readers.stream().anyMatch(r -> r.cutOff));
            double allSeconds = (System.nanoTime() - start) / 1e9;

            int minEvents =
                    readers.stream().mapToInt(r -> r.workflowEvents.get()).min().orElse(0);
            int gaps = readers.stream().mapToInt(r -> r.gaps.get()).sum();
            long cutOff = readers.stream().filter(r -> r.cutOff).count();
            System.out.printf(
                    "LOAD clients=%d workflows=%d accepted=%d submitted in %.2fs (%.0f/s), mean submit latency %.1f ms,"
                            + " all %d events at every client after %.2fs, min events per client=%d, gaps=%d, cut off=%d, resent after a reset=%d%n",
                    CLIENTS,
                    total,
                    ok,
                    submitSeconds,
                    total / submitSeconds,
                    latencyNanos.get() / 1e6 / total,
                    expected,
                    allSeconds,
                    minEvents,
                    gaps,
                    cutOff,
                    retries.get());
            assertThat(ok).isEqualTo(total);
            assertThat(cutOff).isZero();
            assertThat(gaps).isZero();
            assertThat(minEvents).isEqualTo(expected);
            threads.forEach(Thread::interrupt);
        }
    }
}
