package dev.orchestra4j.runner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.WorkflowFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WorkspacesTest {

    @TempDir
    Path dir;

    private final List<String> hooks = new ArrayList<>();
    private final List<Shell.Result> results = new ArrayList<>();

    private Workspaces workspaces(String hookYaml) {
        RunnerConfig config = RunnerConfig.from(
                WorkflowFile.parse(
                        dir.resolve("WORKFLOW.md"),
                        "---\ntracker: {kind: memory}\nworkspace: {root: ws}\nhooks:\n" + hookYaml + "\n---\n"),
                Map.of());
        return new Workspaces(() -> config, new Shell(List.of()), (hook, result) -> {
            hooks.add(hook);
            results.add(result);
        });
    }

    @Test
    void key_sanitisesAndKeepsDistinctIdentifiersDistinct() {
        assertThat(Workspaces.key("ABC-1")).isEqualTo("ABC-1");
        assertThat(Workspaces.key("a/b")).matches("a_b--[0-9a-f]{16}");
        assertThat(Workspaces.key("a_b")).isEqualTo("a_b");
        assertThat(Workspaces.key("a/b")).isNotEqualTo(Workspaces.key("a_b"));
        assertThat(Workspaces.key("../x")).startsWith("_._x--").doesNotContain("/");
        assertThat(Workspaces.key("..")).doesNotStartWith(".");
    }

    @Test
    void pathOf_neverEscapesTheRoot() throws Exception {
        Workspaces w = workspaces("  timeout_ms: 1000");
        w.pathOf("warm-up");
        Path root = dir.resolve("ws").toRealPath();
        for (String id : List.of("../x", "..", ".", "/etc/passwd", "a/../../b", "~")) {
            Path path = w.pathOf(id);
            assertThat(path.getParent()).isEqualTo(root);
        }
    }

    @Test
    void afterCreate_runsOncePerIssueAcrossAttempts() throws Exception {
        Workspaces w = workspaces("  after_create: echo x >> created.log");
        Path path = w.prepare("ABC-1");
        w.prepare("ABC-1");

        assertThat(Files.readAllLines(path.resolve("created.log"))).hasSize(1);
    }

    @Test
    void afterCreate_failureRemovesPartialDirectoryAndFails() {
        Workspaces w = workspaces("  after_create: touch partial; exit 3");

        assertThatThrownBy(() -> w.prepare("ABC-1"))
                .isInstanceOf(Workspaces.WorkspaceException.class)
                .hasMessageContaining("after_create");
        assertThat(dir.resolve("ws/ABC-1")).doesNotExist();
    }

    @Test
    void beforeRun_failureFailsAttempt_afterRunFailureIsOnlyLogged() {
        Workspaces w = workspaces("  before_run: exit 1\n  after_run: exit 1");

        assertThatThrownBy(() -> w.prepare("ABC-1")).hasMessageContaining("before_run hook failed");
        w.finish("ABC-1");
        assertThat(hooks).containsExactly("before_run", "after_run");
    }

    @Test
    void hook_overTimeout_isKilledWithTruncatedOutput() {
        Workspaces w = workspaces(
                "  before_run: \"i=0; while [ $i -lt 600 ]; do echo xxxxxxxxxx; i=$((i+1)); done; sleep 30\"\n"
                        + "  timeout_ms: 500");

        assertThatThrownBy(() -> w.prepare("ABC-1")).hasMessageContaining("timed out");
        Shell.Result result = results.get(0);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.duration().toSeconds()).isLessThan(10);
        assertThat(result.output()).endsWith("... (truncated)");
        assertThat(result.output().length()).isLessThanOrEqualTo(Shell.MAX_OUTPUT + 20);
    }

    @Test
    void remove_runsBeforeRemoveAndDeletes() throws Exception {
        Workspaces w = workspaces("  before_remove: touch ../removed");
        Path path = w.prepare("ABC-1");

        assertThat(w.remove("ABC-1")).isTrue();
        assertThat(path).doesNotExist();
        assertThat(path.resolveSibling("removed")).exists();
    }
}
