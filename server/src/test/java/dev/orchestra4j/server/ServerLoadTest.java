package dev.orchestra4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.state.StateManager;
import dev.orchestra4j.state.StorageBackends;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Sizes: {@code -Dload.clients=1000 -Dload.rate=200 -Dload.seconds=10 -Dload.warmup=400} (warm-up workflows, not measured).
 */
@Tag("load")
final class ServerLoadTest {

    private static final int CLIENTS = Integer.getInteger("load.clients", 1000);
    private static final int RATE = Integer.getInteger("load.rate", 200);
    private static final int SECONDS = Integer.getInteger("load.seconds", 10);
    private static final int WARMUP = Integer.getInteger("load.warmup", 400);

    /**
     * One raw SSE reader on a virtual thread, over a real socket: counts workflow events and checks that ids have no
     * gap. It scans the bytes itself (no per-line strings), so the generator costs little of the CPU it shares with
     * the server. HTTP/1.0, so the body is not chunked.
     */
    private static final class Reader {
        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final byte[] STREAM = bytes(": stream");
        private static final byte[] ID = bytes("id: ");
        private static final byte[] WORKFLOW = bytes("event: workflow");
        private static final byte[] ERROR = bytes("event: error");

        final AtomicInteger workflowEvents = new AtomicInteger();
        final AtomicLong lastId = new AtomicLong();
        final AtomicInteger gaps = new AtomicInteger();
        volatile boolean cutOff;
        private boolean counted;

        void run(URI url, CountDownLatch connected) {
            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("GET /api/events HTTP/1.0\r\nHost: " + url.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[1 << 16];
                int len = 0;
                int n;
                while ((n = in.read(buf, len, buf.length - len)) > 0) {
                    int end = len + n;
                    int lineStart = 0;
                    int nl;
                    int from = len;
                    while ((nl = newline(buf, from, end)) >= 0) {
                        line(buf, lineStart, nl, connected);
                        lineStart = nl + 1;
                        from = lineStart;
                    }
                    System.arraycopy(buf, lineStart, buf, 0, end - lineStart);
                    len = end - lineStart;
                }
            } catch (Exception e) {
                // the stream ended; the counts say whether that was early
            } finally {
                if (!counted) {
                    connected.countDown();
                }
            }
        }

        private void line(byte[] b, int from, int to, CountDownLatch connected) {
            if (startsWith(b, from, to, ID)) {
                long id = 0;
                for (int i = from + ID.length; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
                    id = id * 10 + (b[i] - '0');
                }
                long last = lastId.get();
                if (last != 0 && id != last + 1) {
                    gaps.incrementAndGet();
                }
                lastId.set(id);
            } else if (to - from == WORKFLOW.length && startsWith(b, from, to, WORKFLOW)) {
                workflowEvents.incrementAndGet();
            } else if (startsWith(b, from, to, ERROR)) {
                cutOff = true;
            } else if (!counted && startsWith(b, from, to, STREAM)) {
                counted = true;
                connected.countDown();
            }
        }

        /** The index of the next '\\n' in {@code b[from, to)}, or -1; eight bytes at a time. */
        private static int newline(byte[] b, int from, int to) {
            int i = from;
            for (; i + 8 <= to; i += 8) {
                long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
                long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (found != 0) {
                    return i + (Long.numberOfTrailingZeros(found) >>> 3);
                }
            }
            for (; i < to; i++) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
            if (to - from < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (b[from + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * Workflows submitted at {@link #RATE} per second over {@link #CONNECTIONS} keep-alive HTTP/1.1 connections (real
     * sockets, one virtual thread each, no HTTP client library: the generator shares the CPU with the server).
     */
    private static final class Submissions {
        final AtomicLong latencyNanos = new AtomicLong();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final CountDownLatch done;

        Submissions(int count) {
            done = new CountDownLatch(count);
        }

        int await() throws InterruptedException {
            assertThat(done.await(120, TimeUnit.SECONDS))
                    .as("every submission answered")
                    .isTrue();
            return ok.get();
        }
    }

    private static final int CONNECTIONS = 64;

    /** One submission: the index of the workflow and when it was due. */
    private record Due(int index, long nanos) {}

    private static Submissions submit(URI url, int first, int count) throws InterruptedException {
        Submissions s = new Submissions(count);
        java.util.concurrent.BlockingQueue<Due> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            senders.add(Thread.ofVirtual().start(() -> send(url, queue, s)));
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * (1e9 / RATE));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing the generator, not synchronising
            }
            queue.add(new Due(first + i, due));
        }
        for (int c = 0; c < CONNECTIONS; c++) {
            queue.add(new Due(-1, 0));
        }
        return s;
    }

    private static void send(URI url, java.util.concurrent.BlockingQueue<Due> queue, Submissions s) {
        Socket socket = null;
        InputStream in = null;
        try {
            while (true) {
                Due due = queue.take();
                if (due.index() < 0) {
                    return;
                }
                byte[] body = ("{\"workflow_id\":\"load-" + due.index()
                                + "\",\"workflow_type\":\"parallel\",\"tasks\":[{\"agent_id\":\"t\","
                                + "\"agent_role\":\"qa\",\"input_data\":{}}]}")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] head = ("POST /run-graph HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                int status = -1;
                for (int attempt = 0; attempt < 2 && status < 0; attempt++) {
                    try {
                        if (socket == null) {
                            socket = new Socket(url.getHost(), url.getPort());
                            in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write(head);
                        out.write(body);
                        out.flush();
                        status = readResponse(in);
                    } catch (java.io.IOException e) {
                        s.retries.incrementAndGet(); // a connection reset under load: the same id again
                        if (socket != null) {
                            socket.close();
                            socket = null;
                        }
                    }
                }
                s.latencyNanos.addAndGet(System.nanoTime() - due.nanos());
                if (status == 200 || status == 409) { // 409: a resent request whose first try got through
                    s.ok.incrementAndGet();
                } else {
                    s.failed.incrementAndGet();
                }
                s.done.countDown();
            }
        } catch (Exception e) {
            throw new AssertionError("submitter failed", e);
        } finally {
            if (socket != null) {
                try {
                    socket.close();
                } catch (java.io.IOException e) {
                    // closing at the end of the run
                }
            }
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        int length = -1;
        while (true) {
            line.setLength(0);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new java.io.EOFException("connection closed in the response head");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (line.isEmpty()) {
                break;
            }
            String l = line.toString();
            if (status < 0) {
                status = Integer.parseInt(l.split(" ")[1]);
            } else if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(l.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new AssertionError("a response without Content-Length (status " + status + ")");
        }
        in.readNBytes(length);
        return status;
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

            var os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            // warm-up at the same rate (JIT, class loading), with every client listening; not measured
            Submissions warm = submit(url, 0, WARMUP);
            warm.await();
            int total = RATE * SECONDS;
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            Submissions measured = submit(url, WARMUP, total);
            int ok = measured.await();
            double submitSeconds = (System.nanoTime() - start) / 1e9; // until the last one was answered
            int expected = (WARMUP + total) * 3;
            Eventually.await(
                    "every client to see " + expected + " workflow events",
                    Duration.ofSeconds(120),
                    () -> readers.stream()
                            .mapToInt(r -> r.workflowEvents.get())
                            .min()
                            .orElse(0),
                    n -> n >= expected || readers.stream().anyMatch(r -> r.cutOff));
            double allSeconds = (System.nanoTime() - start) / 1e9;
            double cpuMsPerWorkflow = (os.getProcessCpuTime() - cpuStart) / 1e6 / total;
            double systemLoad = os.getSystemLoadAverage();

            int minEvents =
                    readers.stream().mapToInt(r -> r.workflowEvents.get()).min().orElse(0);
            int gaps = readers.stream().mapToInt(r -> r.gaps.get()).sum();
            long cutOff = readers.stream().filter(r -> r.cutOff).count();
            System.out.printf(
                    "LOAD clients=%d workflows=%d (after %d warm-up) accepted=%d, all answered after %.2fs (%.0f/s), mean"
                            + " latency from due time %.1f ms, all %d events at every client %.2fs after the first, min events per"
                            + " client=%d, gaps=%d, cut off=%d, resent after a reset=%d; CPU (server and generator)"
                            + " %.2f ms per workflow, load average %.1f%n",
                    CLIENTS,
                    total,
                    WARMUP,
                    ok,
                    submitSeconds,
                    total / submitSeconds,
                    measured.latencyNanos.get() / 1e6 / total,
                    expected,
                    allSeconds,
                    minEvents,
                    gaps,
                    cutOff,
                    warm.retries.get() + measured.retries.get(),
                    cpuMsPerWorkflow,
                    systemLoad);
            assertThat(warm.ok.get()).isEqualTo(WARMUP);
            assertThat(ok).isEqualTo(total);
            assertThat(cutOff).isZero();
            assertThat(gaps).isZero();
            assertThat(minEvents).isEqualTo(expected);
            threads.forEach(Thread::interrupt);
        }
    }
}
