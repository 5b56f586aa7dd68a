package dev.orchestra4j.metrics.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET}/{@code HEAD} on one path with a Prometheus scrape; 404 for other paths, 405 for other methods, 500
 * (logged at WARN) when the registry fails to render.
 */
public final class ScrapeHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ScrapeHandler.class);

    private final String path;
    private final String contentType;
    private final PrometheusMeterRegistry registry;

    public ScrapeHandler(String path, String contentType, PrometheusMeterRegistry registry) {
        this.path = path;
        this.contentType = contentType;
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!path.equals(exchange.getRequestURI().getPath())) {
                plain(exchange, 404, "Not found; metrics are at " + path + "\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                plain(exchange, 405, "Method not allowed: " + method + "\n");
                return;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
            try {
                registry.scrape(body, contentType);
            } catch (RuntimeException e) {
                log.warn("Prometheus scrape failed", e);
                plain(exchange, 500, "Scrape failed\n");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        }
    }

    private static void plain(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
