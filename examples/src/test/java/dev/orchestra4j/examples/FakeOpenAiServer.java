package dev.orchestra4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local server that speaks OpenAI's chat-completions wire format and plays the research team the way a sensible
 * model would, deciding from what each request contains (not from a fixed order): the Researcher forks the spokes,
 * then hands the notes to the Writer; a spoke calls its tool, then reports the tool's result; the Writer finishes.
 */
final class FakeOpenAiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AGENT = Pattern.compile("You are the agent \"([^\"]+)\"");
    private static final Set<String> COORDINATION = Set.of("invoke_agent", "finish", "ask_user");

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    private void complete(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            requests.add(request);
            byte[] body = JSON.writeValueAsBytes(response(decide(request)));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The tool call a sensible model would make: its name and its arguments. */
    private static Map<String, Object> decide(JsonNode request) {
        JsonNode messages = request.get("messages");
        String agent = agentOf(messages);
        JsonNode last = messages.get(messages.size() - 1);
        String lastText = last.path("content").asText("");
        return switch (agent) {
            case "Researcher" ->
                lastText.contains("[from ")
                        ? invoke(List.of(Map.of("agent_name", "Writer", "request", lastText)))
                        : invoke(ResearchAndReport.SPOKES.stream()
                                .map(spoke -> Map.<String, Object>of("agent_name", spoke, "request", "research this"))
                                .toList());
            case "Writer" ->
                Map.of(
                        "name",
                        "finish",
                        "arguments",
                        Map.of("answer", ResearchAndReport.report(ResearchAndReport.spokeNotes(lastText))));
            default ->
                last.path("role").asText().equals("tool")
                        ? invoke(List.of(Map.of("agent_name", "Researcher", "request", lastText)))
                        : regularToolCall(request.get("tools"));
        };
    }

    private static Map<String, Object> invoke(List<Map<String, Object>> invocations) {
        return Map.of("name", "invoke_agent", "arguments", Map.of("invocations", invocations));
    }

    private static Map<String, Object> regularToolCall(JsonNode tools) {
        for (JsonNode tool : tools) {
            JsonNode function = tool.get("function");
            if (!COORDINATION.contains(function.get("name").asText())) {
                Iterator<String> parameters =
                        function.path("parameters").path("properties").fieldNames();
                return Map.of(
                        "name",
                        function.get("name").asText(),
                        "arguments",
                        Map.of(parameters.next(), "virtual threads"));
            }
        }
        throw new IllegalStateException("no regular tool offered in " + tools);
    }

    private static String agentOf(JsonNode messages) {
        for (JsonNode message : messages) {
            Matcher matcher = AGENT.matcher(message.path("content").asText(""));
            if (message.path("role").asText().equals("system") && matcher.find()) {
                return matcher.group(1);
            }
        }
        throw new IllegalStateException("no agent identity in the system message");
    }

    private ObjectNode response(Map<String, Object> call) throws IOException {
        ObjectNode function = JSON.createObjectNode()
                .put("name", (String) call.get("name"))
                .put("arguments", JSON.writeValueAsString(call.get("arguments")));
        ArrayNode toolCalls = JSON.createArrayNode();
        toolCalls
                .addObject()
                .put("id", "call_" + ids.incrementAndGet())
                .put("type", "function")
                .set("function", function);
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        message.putNull("content");
        message.set("tool_calls", toolCalls);
        ObjectNode choice = JSON.createObjectNode().put("index", 0).put("finish_reason", "tool_calls");
        choice.set("message", message);
        ObjectNode response = JSON.createObjectNode()
                .put("id", "chatcmpl-" + ids.get())
                .put("object", "chat.completion")
                .put("created", 0)
                .put("model", "gpt-4o-mini");
        response.set("choices", JSON.createArrayNode().add(choice));
        response.putObject("usage")
                .put("prompt_tokens", 100)
                .put("completion_tokens", 20)
                .put("total_tokens", 120);
        return response;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static List<String> toolNames(JsonNode request) {
        List<String> names = new ArrayList<>();
        request.path("tools")
                .forEach(tool -> names.add(tool.path("function").path("name").asText()));
        return names;
    }
}
