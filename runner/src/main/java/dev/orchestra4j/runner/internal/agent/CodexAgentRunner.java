package dev.orchestra4j.runner.internal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra4j.runner.AgentRunner;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.Turn;
import dev.orchestra4j.runner.TurnOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code agent.kind: codex}: one turn is one Codex app-server conversation over stdio (JSON-RPC, one message per
 * line). It launches {@code bash -lc <codex.command>} in the workspace without the tracker's secret variables, then
 * {@code initialize}, {@code initialized}, {@code thread/start} (cwd, approval policy, sandbox) and {@code turn/start}
 * with the prompt, and reads notifications until {@code turn/completed}. Each message resets the turn timeout; token
 * totals come from {@code thread/tokenUsage/updated}; a request for user input ends the turn as input-required;
 * approval requests are declined, and unknown requests get a JSON-RPC error while the turn goes on.
 */
public final class CodexAgentRunner implements AgentRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EOF = "\u0000eof";

    private final Supplier<RunnerConfig> config;
    private final Collection<String> hidden;

    public CodexAgentRunner(Supplier<RunnerConfig> config, Collection<String> hiddenVariables) {
        this.config = config;
        this.hidden = List.copyOf(hiddenVariables);
    }

    @Override
    public TurnOutcome run(Turn turn) throws InterruptedException {
        RunnerConfig.CodexSettings codex = config.get().codex();
        ProcessBuilder builder = new ProcessBuilder("bash", "-lc", codex.command())
                .directory(turn.workspace().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        hidden.forEach(builder.environment()::remove);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new TurnOutcome.Failed("codex_not_found: " + e.getMessage());
        }
        try {
            return converse(process, turn, codex);
        } catch (IOException e) {
            return new TurnOutcome.Failed("port_exit: " + e.getMessage());
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private TurnOutcome converse(Process process, Turn turn, RunnerConfig.CodexSettings codex)
            throws IOException, InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            lines.add(EOF);
        });
        OutputStream out = process.getOutputStream();
        Duration read = codex.readTimeout();
        send(
                out,
                Map.of(
                        "id",
                        1,
                        "method",
                        "initialize",
                        "params",
                        Map.of("clientInfo", Map.of("name", "orchestra4j-runner", "version", "0.1.0"))));
        JsonNode init = await(lines, out, 1, read, turn);
        if (init.has("error")) {
            return new TurnOutcome.Failed("response_error: " + init.path("error"));
        }
        send(out, Map.of("method", "initialized", "params", Map.of()));
        send(
                out,
                Map.of(
                        "id",
                        2,
                        "method",
                        "thread/start",
                        "params",
                        Map.of(
                                "cwd", turn.workspace().toString(),
                                "approvalPolicy", codex.approvalPolicy(),
                                "sandbox", codex.threadSandbox())));
        String threadId = await(lines, out, 2, read, turn)
                .path("result")
                .path("thread")
                .path("id")
                .asText("");
        String prompt =
                switch (turn.start()) {
                    case Turn.Start.Fresh fresh -> fresh.prompt();
                    case Turn.Start.Answer answer -> "The operator answered: " + answer.answer();
                    case Turn.Start.Recover recover -> "Continue the work in this workspace where it stopped.";
                };
        send(
                out,
                Map.of(
                        "id",
                        3,
                        "method",
                        "turn/start",
                        "params",
                        Map.of("threadId", threadId, "input", List.of(Map.of("type", "text", "text", prompt)))));
        String turnId = await(lines, out, 3, read, turn)
                .path("result")
                .path("turn")
                .path("id")
                .asText("");
        turn.activity().event("session_started", threadId + "-" + turnId);
        return stream(lines, out, codex.turnTimeout(), turn);
    }

    private TurnOutcome stream(BlockingQueue<String> lines, OutputStream out, Duration silence, Turn turn)
            throws IOException, InterruptedException {
        while (true) {
            JsonNode message = next(lines, silence);
            if (message == null) {
                return new TurnOutcome.Failed("turn_timeout: no message for " + silence.toMillis() + " ms");
            }
            if (message.isMissingNode()) {
                return new TurnOutcome.Failed("port_exit: the app server exited during the turn");
            }
            String method = message.path("method").asText("");
            JsonNode params = message.path("params");
            if (message.has("id") && !method.isEmpty()) {
                if (method.contains("requestUserInput") || method.contains("elicitation")) {
                    return new TurnOutcome.InputRequired(params.path("question").asText(params.toString()));
                }
                if (method.contains("requestApproval")) {
                    reply(out, message.get("id"), Map.of("decision", "decline"));
                    turn.activity().event("approval_declined", method);
                } else {
                    error(out, message.get("id"), "unsupported_tool_call: " + method);
                    turn.activity().event("unsupported_tool_call", method);
                }
                continue;
            }
            switch (method) {
                case "turn/completed" -> {
                    String status = params.path("turn").path("status").asText("completed");
                    return status.equals("completed")
                            ? new TurnOutcome.Completed("turn completed")
                            : new TurnOutcome.Failed("turn_" + status + ": "
                                    + params.path("turn").path("error"));
                }
                case "thread/tokenUsage/updated" -> {
                    JsonNode total = params.path("tokenUsage").path("total");
                    turn.activity()
                            .tokens(
                                    total.path("inputTokens").asLong(),
                                    total.path("outputTokens").asLong());
                }
                default -> turn.activity().event("notification", method);
            }
        }
    }

    private JsonNode await(BlockingQueue<String> lines, OutputStream out, int id, Duration timeout, Turn turn)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode message = left <= 0 ? null : next(lines, Duration.ofNanos(left));
            if (message == null) {
                throw new IOException(
                        "response_timeout: no answer to request " + id + " within " + timeout.toMillis() + " ms");
            }
            if (message.isMissingNode()) {
                throw new IOException("the app server exited before answering request " + id);
            }
            if (message.path("id").asInt(-1) == id && !message.has("method")) {
                return message;
            }
            turn.activity().event("other_message", message.path("method").asText("message"));
        }
    }

    /** The next message, null after {@code timeout}, a missing node at end of stream; malformed lines are skipped. */
    private static JsonNode next(BlockingQueue<String> lines, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            if (line == null) {
                return null;
            }
            if (line.equals(EOF)) {
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (node != null && node.isObject()) {
                    return node;
                }
            } catch (IOException malformed) {
                // Symphony's "malformed" event: skipped
            }
        }
    }

    private static void send(OutputStream out, Object message) throws IOException {
        out.write(JSON.writeValueAsBytes(message));
        out.write('\n');
        out.flush();
    }

    private static void reply(OutputStream out, JsonNode id, Object result) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.set("id", id);
        m.set("result", JSON.valueToTree(result));
        send(out, m);
    }

    private static void error(OutputStream out, JsonNode id, String message) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.set("id", id);
        m.set("error", JSON.valueToTree(Map.of("code", -32601, "message", message)));
        send(out, m);
    }
}
