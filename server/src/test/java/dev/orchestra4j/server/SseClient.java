package dev.orchestra4j.server;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a {@code text/event-stream} over real HTTP into parsed events (comments kept as heartbeats). */
final class SseClient implements AutoCloseable {

    record Event(String id, String type, String data) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Void>> response;
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private volatile int heartbeats;
    private String id = "";
    private String type = "message";
    private final StringBuilder data = new StringBuilder();

    SseClient(HttpClient client, HttpRequest.Builder request) {
        response =
                client.sendAsync(request.header("Accept", "text/event-stream").build(), info -> {
                    status.complete(info.statusCode());
                    return HttpResponse.BodySubscribers.fromLineSubscriber(new LineSink(this::line));
                });
    }

    static SseClient open(Http http, String path, String... headers) {
        HttpRequest.Builder b = http.request(path).timeout(Duration.ofMinutes(5));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return new SseClient(http.client(), b);
    }

    int status() throws Exception {
        return status.get(10, TimeUnit.SECONDS);
    }

    int heartbeats() {
        return heartbeats;
    }

    Event next() throws InterruptedException {
        Event e = events.poll(20, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within 20 s");
        }
        return e;
    }

    /** Events until one matches {@code type} (inclusive). */
    List<Event> until(String type) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        while (true) {
            Event e = next();
            out.add(e);
            if (e.type().equals(type)) {
                return out;
            }
        }
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (!data.isEmpty()) {
                events.add(new Event(id, type, data.toString()));
            }
            type = "message";
            data.setLength(0);
        } else if (line.startsWith(":")) {
            if (line.startsWith(": heartbeat")) {
                heartbeats++;
            }
        } else if (line.startsWith("id: ")) {
            id = line.substring(4);
        } else if (line.startsWith("event: ")) {
            type = line.substring(7);
        } else if (line.startsWith("data: ")) {
            data.append(line.substring(6));
        }
    }

    @Override
    public void close() {
        response.cancel(true);
    }

    private record LineSink(java.util.function.Consumer<String> onLine)
            implements java.util.concurrent.Flow.Subscriber<String> {
        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String item) {
            onLine.accept(item);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onComplete() {}
    }
}
