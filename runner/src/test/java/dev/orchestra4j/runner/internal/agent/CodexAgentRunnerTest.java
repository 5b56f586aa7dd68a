package dev.orchestra4j.runner.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.Turn;
import dev.orchestra4j.runner.TurnOutcome;
import dev.orchestra4j.runner.WorkflowFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent.kind: codex} against a scripted fake app server speaking the app-server JSON-RPC over stdio. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class CodexAgentRunnerTest {

    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final long[] tokens = new long[2];

    private TurnOutcome run(String scenario, String extra) throws Exception {
        String command = "'" + ProcessHandle.current().info().command().orElse("java") + "' -cp '"
                + System.getProperty("java.class.path") + "' " + FakeAppServer.class.getName() + " " + scenario;
        RunnerConfig config = RunnerConfig.from(
                WorkflowFile.parse(
                        dir.resolve("WORKFLOW.md"),
                        "---\ntracker: {kind: memory}\nagent: {kind: codex}\ncodex:\n  command: \""
                                + command.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n  read_timeout_ms: 20000\n"
                                + extra + "---\n"),
                Map.of());
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Turn turn = new Turn(
                Issue.builder("1", "ABC-1", "Title", "Todo").build(),
                null,
                1,
                20,
                workspace,
                "ABC-1-r1-t1",
                new Turn.Start.Fresh("Do ABC-1 now"),
                new Turn.Activity() {
                    @Override
                    public void event(String event, String message) {
                        events.add(event + " " + message);
                    }

                    @Override
                    public void tokens(long input, long output) {
                        tokens[0] = input;
                        tokens[1] = output;
                    }
                });
        return new CodexAgentRunner(() -> config, List.of("RUNNER_TEST_SECRET")).run(turn);
    }

    private List<String> serverLog() throws Exception {
        return Files.readAllLines(dir.resolve("ws/fake-app-server.log"));
    }

    @Test
    void turn_handshakeStreamsToCompletion_unsupportedRequestsAnsweredAndTokensCounted() throws Exception {
        TurnOutcome outcome = run("complete", "");

        assertThat(outcome).isInstanceOf(TurnOutcome.Completed.class);
        List<String> log = serverLog();
        assertThat(log.get(0)).isEqualTo("cwd " + dir.resolve("ws").toRealPath());
        assertThat(log).contains("secret false");
        assertThat(log.stream()
                        .filter(l -> l.startsWith("{"))
                        .map(l -> l.replaceAll(".*\"method\":\"([^\"]+)\".*", "$1")))
                .startsWith("initialize", "initialized", "thread/start", "turn/start");
        assertThat(String.join("\n", log)).contains("Do ABC-1 now").contains("unsupported_tool_call");
        assertThat(events).anyMatch(e -> e.startsWith("session_started th1-tu1"));
        assertThat(events).anyMatch(e -> e.startsWith("unsupported_tool_call item/tool/call"));
        assertThat(tokens).containsExactly(300, 70);
    }

    @Test
    void turn_userInputRequest_endsAsInputRequired() throws Exception {
        assertThat(run("input", "")).isEqualTo(new TurnOutcome.InputRequired("Which branch?"));
    }

    @Test
    void turn_failedTurn_isFailure() throws Exception {
        assertThat(run("fail", "")).isInstanceOfSatisfying(TurnOutcome.Failed.class, f -> assertThat(f.reason())
                .startsWith("turn_failed"));
    }

    @Test
    void turn_silence_timesOut() throws Exception {
        assertThat(run("silent", "  turn_timeout_ms: 1500\n"))
                .isInstanceOfSatisfying(
                        TurnOutcome.Failed.class, f -> assertThat(f.reason()).startsWith("turn_timeout"));
    }

    @Test
    void missingCommand_failsWithoutHanging() throws Exception {
        RunnerConfig config = RunnerConfig.from(
                WorkflowFile.parse(
                        dir.resolve("W.md"),
                        "---\ntracker: {kind: memory}\ncodex: {command: definitely-not-codex-xyz, read_timeout_ms: 3000}\n---\n"),
                Map.of());
        Path workspace = Files.createDirectories(dir.resolve("ws2"));
        TurnOutcome outcome = new CodexAgentRunner(() -> config, List.of())
                .run(new Turn(
                        Issue.builder("1", "A-1", "T", "Todo").build(),
                        null,
                        1,
                        1,
                        workspace,
                        "s",
                        new Turn.Start.Fresh("x"),
                        new Turn.Activity() {
                            @Override
                            public void event(String event, String message) {}

                            @Override
                            public void tokens(long input, long output) {}
                        }));
        assertThat(outcome).isInstanceOf(TurnOutcome.Failed.class);
    }
}
