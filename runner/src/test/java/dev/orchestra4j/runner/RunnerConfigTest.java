package dev.orchestra4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RunnerConfigTest {

    @TempDir
    Path dir;

    private RunnerConfig config(String text, Map<String, String> env) {
        return RunnerConfig.from(WorkflowFile.parse(dir.resolve("WORKFLOW.md"), text), env);
    }

    @Test
    void from_minimal_appliesEveryDefault() {
        RunnerConfig c = config("---\ntracker:\n  kind: memory\n---\nbody", Map.of());

        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(30_000));
        assertThat(c.agent().maxConcurrentAgents()).isEqualTo(10);
        assertThat(c.agent().maxTurns()).isEqualTo(20);
        assertThat(c.agent().maxRetryBackoff()).isEqualTo(Duration.ofMillis(300_000));
        assertThat(c.agent().kind()).isEqualTo("topology");
        assertThat(c.agent().topology()).isEqualTo("coding-run");
        assertThat(c.agent().handoffState()).isEqualTo("Human Review");
        assertThat(c.hooks().timeout()).isEqualTo(Duration.ofMillis(60_000));
        assertThat(c.codex().turnTimeout()).isEqualTo(Duration.ofMillis(3_600_000));
        assertThat(c.codex().readTimeout()).isEqualTo(Duration.ofMillis(5_000));
        assertThat(c.codex().stallTimeout()).isEqualTo(Duration.ofMillis(300_000));
        assertThat(c.codex().command()).isEqualTo("codex app-server");
        assertThat(c.workspaceRoot())
                .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "symphony_workspaces")
                        .toAbsolutePath()
                        .normalize());
        assertThat(c.tracker().activeStates()).containsExactly("Todo", "In Progress");
        assertThat(c.serverPort()).isEmpty();
    }

    @Test
    void from_relativeRootTildeAndVar_resolve() {
        assertThat(config("---\ntracker: {kind: memory}\nworkspace: {root: ws}\n---\n", Map.of())
                        .workspaceRoot())
                .isEqualTo(dir.resolve("ws").toAbsolutePath());
        assertThat(config("---\ntracker: {kind: memory}\nworkspace: {root: ~/ws}\n---\n", Map.of())
                        .workspaceRoot())
                .isEqualTo(Path.of(System.getProperty("user.home"), "ws"));
        assertThat(config("---\ntracker: {kind: memory}\nworkspace: {root: ~/ws}\n---\n", Map.of("HOME", "/h"))
                        .workspaceRoot())
                .as("the process's $HOME wins over the JVM's user.home")
                .isEqualTo(Path.of("/h/ws"));
        assertThat(config("---\ntracker: {kind: memory}\nworkspace: {root: $WS}\n---\n", Map.of("WS", "/tmp/x"))
                        .workspaceRoot())
                .isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void from_secretVarResolvingToEmpty_isMissingSecret() {
        assertThatThrownBy(() -> config(
                        "---\ntracker: {kind: github, provider: {repository: a/b, token: $TOKEN}}\n---\n",
                        Map.of("TOKEN", "")))
                .isInstanceOfSatisfying(
                        WorkflowException.class, e -> assertThat(e.code()).isEqualTo("missing_tracker_secret"));
    }

    @Test
    void from_secretVar_isResolvedAndListedAsSecret() {
        RunnerConfig c = config(
                "---\ntracker: {kind: github, provider: {repository: a/b, token: $TOKEN}}\n---\n",
                Map.of("TOKEN", "t0k"));

        assertThat(c.tracker().provider()).containsEntry("token", "t0k");
        assertThat(c.tracker().secretVariables()).contains("TOKEN", "GITHUB_TOKEN");
    }

    @Test
    void from_unknownTopLevelKeys_areIgnored() {
        assertThat(config("---\ntracker: {kind: memory}\nwhatever: 1\n---\n", Map.of())
                        .tracker()
                        .kind())
                .isEqualTo("memory");
    }

    @Test
    void from_unsupportedKind_isReported() {
        assertThatThrownBy(() -> config("---\ntracker: {kind: nope}\n---\n", Map.of()))
                .isInstanceOfSatisfying(
                        WorkflowException.class, e -> assertThat(e.code()).isEqualTo("unsupported_tracker_kind"))
                .hasMessageContaining("'nope'");
    }

    @Test
    void from_severalBadValues_reportsAllAtOnce() {
        assertThatThrownBy(() -> config(
                        "---\ntracker: {kind: memory}\npolling: {interval_ms: -1}\nhooks: {timeout_ms: x}\n"
                                + "agent: {max_turns: 0}\n---\n",
                        Map.of()))
                .isInstanceOfSatisfying(
                        WorkflowException.class, e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void from_byStateLimits_normalisesKeysAndIgnoresInvalidEntries() {
        RunnerConfig c = config(
                "---\ntracker: {kind: memory}\nagent:\n  max_concurrent_agents_by_state: {\" In Progress \": 2, x: -1}\n"
                        + "---\n",
                Map.of());

        assertThat(c.agent().maxConcurrentAgentsByState()).containsExactly(Map.entry("in progress", 2));
    }

    @Test
    void from_requiredLabels_areNormalised() {
        RunnerConfig c = config("---\ntracker: {kind: memory, required_labels: [\" Agent \"]}\n---\n", Map.of());

        assertThat(c.tracker().requiredLabels()).containsExactly("agent");
    }

    @Test
    void from_commandSandbox_defaultsToNamespace_andRejectsUnknownValues() {
        assertThat(config("---\ntracker: {kind: memory}\n---\n", Map.of())
                        .agent()
                        .commandSandbox())
                .isEqualTo("namespace");
        assertThat(config("---\ntracker: {kind: memory}\nagent: {command_sandbox: none}\n---\n", Map.of())
                        .agent()
                        .commandSandbox())
                .isEqualTo("none");
        assertThatThrownBy(
                        () -> config("---\ntracker: {kind: memory}\nagent: {command_sandbox: docker}\n---\n", Map.of()))
                .isInstanceOf(WorkflowException.class)
                .hasMessageContaining("agent.command_sandbox 'docker'");
    }
}
