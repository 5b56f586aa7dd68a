package dev.orchestra4j.server.internal.events;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Serves one stream as {@code text/event-stream} on the request's own (virtual) thread, the connection's only writer:
 * the replay first, then live events, a comment line as heartbeat when nothing happens, and an {@code error} event
 * with the reason when the server cuts the client off. A busy stream is flushed at most once per {@link
 * #FLUSH_INTERVAL_NANOS}: what arrives meanwhile goes out in the same write.
 */
public final class SseStream {

    /** The shortest time between two flushes of one busy stream; a quiet stream's first event goes out at once. */
    static final long FLUSH_INTERVAL_NANOS = 100_000_000;

    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private final EventHub hub;
    private final Duration heartbeat;

    public SseStream(EventHub hub, Duration heartbeat) {
        this.hub = hub;
        this.heartbeat = heartbeat;
    }

    public void serve(Context ctx, String stream, Runnable onOpen) throws IOException {
        Subscription sub = hub.subscribe(stream, lastEventId(ctx));
        onOpen.run();
        try {
            var res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream;charset=utf-8");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no");
            ServletOutputStream out = res.getOutputStream();
            out.write((": stream " + stream + "\nretry: 2000\n\n").getBytes(StandardCharsets.UTF_8));
            for (ServerEvent e : sub.replay()) {
                out.write(e.sseBytes());
            }
            out.flush();
            pump(sub, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.unsubscribe(sub);
        }
    }

    private void pump(Subscription sub, ServletOutputStream out) throws IOException, InterruptedException {
        List<ServerEvent> batch = new ArrayList<>();
        Batch bytes = new Batch();
        long lastFlush = System.nanoTime() - FLUSH_INTERVAL_NANOS;
        while (true) {
            if (!sub.await(heartbeat)) {
                out.write(HEARTBEAT);
                out.flush();
                lastFlush = System.nanoTime();
                continue;
            }
            long since = System.nanoTime() - lastFlush;
            if (since < FLUSH_INTERVAL_NANOS && !sub.ended()) {
                LockSupport.parkNanos(FLUSH_INTERVAL_NANOS - since);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            boolean open = sub.drain(batch);
            bytes.writeTo(out, batch);
            batch.clear();
            if (!open) {
                out.write(("event: error\ndata: " + Json.reason(sub.endReason()) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            out.flush();
            lastFlush = System.nanoTime();
        }
    }

    /** One connection's reusable write buffer: a batch of events goes to the response in one write. */
    private static final class Batch {
        private byte[] buf = new byte[8192];

        void writeTo(ServletOutputStream out, List<ServerEvent> events) throws IOException {
            int len = 0;
            for (ServerEvent e : events) {
                byte[] b = e.sseBytes();
                if (len + b.length > buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + b.length));
                }
                System.arraycopy(b, 0, buf, len, b.length);
                len += b.length;
            }
            if (len > 0) {
                out.write(buf, 0, len);
            }
        }
    }

    private static long lastEventId(Context ctx) {
        String value = ctx.header("Last-Event-ID");
        if (value == null) {
            value = ctx.queryParam("last_event_id");
        }
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw dev.orchestra4j.server.internal.http.ApiException.of(
                400, "Last-Event-ID must be a non-negative integer, was '" + value + "'");
    }

    private static final class Json {
        static String reason(@Nullable String reason) {
            return dev.orchestra4j.server.internal.http.Json.write(
                    dev.orchestra4j.server.internal.http.Json.of("reason", reason == null ? "stream closed" : reason));
        }
    }
}
