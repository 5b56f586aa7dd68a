package dev.orchestra4j.runner.internal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A scripted Codex app server for {@link CodexAgentRunnerTest}: answers the handshake, then plays a scenario
 * ({@code complete}, {@code input}, {@code silent}, {@code fail}). It records every line it receives, its working
 * directory and whether it sees {@code RUNNER_TEST_SECRET} in {@code fake-app-server.log} in its working directory.
 */
public final class FakeAppServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeAppServer() {}

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        Path log = Path.of("fake-app-server.log");
        record(log, "cwd " + Path.of("").toAbsolutePath());
        record(log, "secret " + (System.getenv("RUNNER_TEST_SECRET") != null));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            record(log, line);
            JsonNode m = JSON.readTree(line);
            switch (m.path("method").asText("")) {
                case "initialize" -> send(out, Map.of("id", m.get("id"), "result", Map.of("userAgent", "fake")));
                case "thread/start" ->
                    send(out, Map.of("id", m.get("id"), "result", Map.of("thread", Map.of("id", "th1"))));
                case "turn/start" -> {
                    send(out, Map.of("id", m.get("id"), "result", Map.of("turn", Map.of("id", "tu1"))));
                    play(scenario, out);
                }
                default -> {
                    if (m.has("id") && m.path("id").asInt() == 100 && m.has("error")) {
                        send(
                                out,
                                Map.of(
                                        "method",
                                        "thread/tokenUsage/updated",
                                        "params",
                                        Map.of(
                                                "tokenUsage",
                                                Map.of("total", Map.of("inputTokens", 300, "outputTokens", 70)))));
                        send(
                                out,
                                Map.of(
                                        "method",
                                        "turn/completed",
                                        "params",
                                        Map.of("turn", Map.of("id", "tu1", "status", "completed"))));
                    }
                }
            }
        }
    }

    private static void play(String scenario, PrintStream out) throws Exception {
        switch (scenario) {
            case "complete" -> {
                out.println("this line is not JSON");
                send(out, Map.of("method", "item/started", "params", Map.of("item", Map.of("type", "agentMessage"))));
                send(out, Map.of("id", 100, "method", "item/tool/call", "params", Map.of("tool", "nope")));
            }
            case "input" ->
                send(
                        out,
                        Map.of(
                                "id",
                                101,
                                "method",
                                "item/tool/requestUserInput",
                                "params",
                                Map.of("question", "Which branch?")));
            case "fail" ->
                send(
                        out,
                        Map.of(
                                "method",
                                "turn/completed",
                                "params",
                                Map.of(
                                        "turn",
                                        Map.of("id", "tu1", "status", "failed", "error", Map.of("message", "boom")))));
            default -> {
                // silent: say nothing more
            }
        }
    }

    private static void send(PrintStream out, Object message) throws Exception {
        out.println(JSON.writeValueAsString(message));
    }

    private static void record(Path log, String line) throws Exception {
        Files.write(log, List.of(line), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
