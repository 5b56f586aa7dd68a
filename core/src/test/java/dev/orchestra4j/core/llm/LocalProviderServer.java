package dev.orchestra4j.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Test fixture: a local HTTP server on a free port that answers one provider endpoint with prepared JSON bodies, in
 * order, and keeps the JSON requests it received.
 */
final class LocalProviderServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Queue<String> responses = new ConcurrentLinkedQueue<>();
    private final Queue<JsonNode> received = new ConcurrentLinkedQueue<>();

    private LocalProviderServer(String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, this::answer);
        server.start();
    }

    static LocalProviderServer serving(String path) throws IOException {
        return new LocalProviderServer(path);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    LocalProviderServer respond(String json) {
        responses.add(json);
        return this;
    }

    List<JsonNode> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        received.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
        String body = responses.poll();
        byte[] bytes = (body == null ? "{\"error\":{\"message\":\"no prepared response\"}}" : body)
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(body == null ? 500 : 200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
