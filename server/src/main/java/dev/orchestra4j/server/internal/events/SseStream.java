package dev.orchestra4j.server.internal.events;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Serves one stream as {@code text/event-stream} on the request's own (virtual) thread: the replay first, then live
 * events, a comment line as heartbeat when nothing happens, and an {@code error} event with the reason when the
 * server cuts the client off.
 */
public final class SseStream {

    /** How long a stream waits after an event for more, so that busy streams write and flush in batches. */
    private static final long LINGER_NANOS = 5_000_000;

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
            write(out, ": stream " + stream + "\nretry: 2000\n\n");
            for (ServerEvent e : sub.replay()) {
                write(out, e.toSse());
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
        while (true) {
            ServerEvent event = sub.next(heartbeat);
            if (event == null) {
                write(out, ": heartbeat\n\n");
                out.flush();
                continue;
            }
            LockSupport.parkNanos(LINGER_NANOS);
            while (event != null) {
                if (Subscription.isEnd(event)) {
                    String reason = sub.endReason();
                    write(out, "event: error\ndata: " + Json.reason(reason) + "\n\n");
                    out.flush();
                    return;
                }
                write(out, event.toSse());
                event = sub.poll();
            }
            out.flush();
        }
    }

    private static void write(ServletOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
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
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static final class Json {
        static String reason(@Nullable String reason) {
            return dev.orchestra4j.server.internal.http.Json.write(
                    dev.orchestra4j.server.internal.http.Json.of("reason", reason == null ? "stream closed" : reason));
        }
    }
}
