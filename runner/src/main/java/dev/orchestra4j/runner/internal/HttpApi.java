package dev.orchestra4j.runner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The runner's HTTP extension (Symphony §13.7) on the JDK's {@code HttpServer}, bound to loopback: {@code GET
 * /api/v1/state}, {@code GET /api/v1/<identifier>}, {@code POST /api/v1/refresh}, the extension {@code POST
 * /api/v1/<identifier>/respond}, {@code GET /metrics} (Prometheus text, when the registry can scrape) and a small
 * dashboard at {@code /}. Errors use the envelope {@code {"error":{"code","message"}}}; a wrong method is 405.
 */
public final class HttpApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final IssueOrchestrator orchestrator;
    private final Supplier<Optional<String>> metrics;

    private HttpApi(HttpServer server, IssueOrchestrator orchestrator, Supplier<Optional<String>> metrics) {
        this.server = server;
        this.orchestrator = orchestrator;
        this.metrics = metrics;
    }

    /** Starts serving on {@code 127.0.0.1:port} ({@code 0} picks a free port). */
    public static HttpApi start(int port, IssueOrchestrator orchestrator, MeterRegistry registry) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        HttpApi api = new HttpApi(server, orchestrator, () -> scrape(registry));
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    private static Optional<String> scrape(MeterRegistry registry) {
        try {
            Object text = registry.getClass().getMethod("scrape").invoke(registry);
            return Optional.of(String.valueOf(text));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/")) {
                html(exchange);
            } else if (path.equals("/metrics")) {
                route(exchange, method, "GET", () -> text(exchange, metrics.get()));
            } else if (path.equals("/api/v1/state")) {
                route(exchange, method, "GET", () -> json(exchange, 200, get(orchestrator.state())));
            } else if (path.equals("/api/v1/refresh")) {
                route(exchange, method, "POST", () -> json(exchange, 202, get(orchestrator.requestRefresh())));
            } else if (path.startsWith("/api/v1/") && path.endsWith("/respond")) {
                String id = decode(path.substring("/api/v1/".length(), path.length() - "/respond".length()));
                route(exchange, method, "POST", () -> respond(exchange, id));
            } else if (path.startsWith("/api/v1/") && path.indexOf('/', "/api/v1/".length()) < 0) {
                String id = decode(path.substring("/api/v1/".length()));
                route(exchange, method, "GET", () -> issue(exchange, id));
            } else {
                error(exchange, 404, "not_found", "no route for " + path);
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "internal_error", String.valueOf(e.getMessage()));
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    private static void route(HttpExchange exchange, String method, String allowed, Action action) throws IOException {
        if (!method.equals(allowed)) {
            exchange.getResponseHeaders().add("Allow", allowed);
            error(exchange, 405, "method_not_allowed", method + " is not allowed here; use " + allowed);
            return;
        }
        action.run();
    }

    private void issue(HttpExchange exchange, String identifier) throws IOException {
        Optional<Map<String, Object>> view = get(orchestrator.issue(identifier));
        if (view.isEmpty()) {
            error(exchange, 404, "issue_not_found", "issue '" + identifier + "' is not known to this runner");
        } else {
            json(exchange, 200, view.get());
        }
    }

    private void respond(HttpExchange exchange, String identifier) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in.readAllBytes());
        } catch (IOException e) {
            error(exchange, 400, "invalid_request", "the body must be JSON: {\"answer\": \"…\"}");
            return;
        }
        if (body == null || !body.path("answer").isTextual()) {
            error(exchange, 400, "invalid_request", "the body must be JSON: {\"answer\": \"…\"}");
            return;
        }
        switch (get(orchestrator.respond(identifier, body.path("answer").asText()))) {
            case CONTINUED -> json(exchange, 202, Map.of("accepted", true, "issue_identifier", identifier));
            case NOT_BLOCKED -> error(exchange, 409, "issue_not_blocked", "issue '" + identifier + "' is not blocked");
            case UNKNOWN_ISSUE ->
                error(exchange, 404, "issue_not_found", "issue '" + identifier + "' is not known to this runner");
        }
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the orchestrator did not answer: " + e, e);
        }
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void text(HttpExchange exchange, Optional<String> body) throws IOException {
        if (body.isEmpty()) {
            error(exchange, 404, "not_found", "metrics are not exported in the Prometheus format");
            return;
        }
        send(
                exchange,
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                body.get().getBytes(StandardCharsets.UTF_8));
    }

    static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        json(exchange, status, Map.of("error", Map.of("code", code, "message", message)));
    }

    private void html(HttpExchange exchange) throws IOException {
        String page = "<!doctype html><title>Orchestra4j runner</title><h1>Orchestra4j runner</h1>"
                + "<p><a href=\"/api/v1/state\">/api/v1/state</a> · <a href=\"/metrics\">/metrics</a></p>"
                + "<pre id=s></pre><script>fetch('/api/v1/state').then(r=>r.json()).then(j=>"
                + "document.getElementById('s').textContent=JSON.stringify(j,null,2))</script>";
        send(exchange, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
