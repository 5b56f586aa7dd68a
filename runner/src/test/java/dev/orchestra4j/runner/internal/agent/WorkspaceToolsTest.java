package dev.orchestra4j.runner.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.runner.internal.CommandSandbox;
import dev.orchestra4j.runner.internal.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escape attempts against the agent's file and shell tools: the commands run in the namespace sandbox, so a hostile
 * command sees only the workspace (and read-only system directories); the file tools resolve links and refuse.
 */
final class WorkspaceToolsTest {

    @TempDir
    Path dir;

    private Path workspace;
    private Path neighbour;
    private WorkspaceTools tools;

    @BeforeEach
    void setUp() throws Exception {
        Path root = Files.createDirectories(dir.resolve("ws"));
        workspace = Files.createDirectories(root.resolve("A-1")).toRealPath();
        neighbour = Files.createDirectories(root.resolve("B-2")).toRealPath();
        Files.writeString(neighbour.resolve("secret.txt"), "neighbour-secret");
        Files.writeString(dir.resolve("outside.txt"), "outside-secret");
        Shell shell = new Shell(List.of());
        tools = new WorkspaceTools(
                workspace,
                shell,
                CommandSandbox.namespace(root.resolve(".orchestra4j"), shell),
                Duration.ofSeconds(30),
                () -> {});
    }

    private JsonNode run(String command) throws Exception {
        return WorkspaceTools.JSON.readTree(tools.run(command));
    }

    @Test
    void command_runsInTheWorkspace_andSeesNothingAboveIt() throws Exception {
        JsonNode result = run("pwd; ls -a ..; cd .. && cat B-2/secret.txt; cat ../../outside.txt");

        String output = result.path("output").asText();
        assertThat(output.lines().findFirst()).hasValue(workspace.toString());
        assertThat(output).doesNotContain("neighbour-secret").doesNotContain("outside-secret");
        assertThat(output.lines().skip(1).limit(3).toList())
                .as("the workspace root holds only this workspace")
                .containsExactly(".", "..", "A-1");
        assertThat(output).contains("B-2/secret.txt: No such file");
        assertThat(result.path("exit_code").asInt()).isNotZero();
    }

    @Test
    void command_absolutePathsOutsideTheWorkspace_doNotExistAndCannotBeWritten() throws Exception {
        JsonNode read = run("cat '" + dir.resolve("outside.txt") + "'; cat '" + neighbour.resolve("secret.txt") + "'");
        assertThat(read.path("output").asText())
                .doesNotContain("outside-secret")
                .doesNotContain("neighbour-secret");

        run("echo pwned > '" + dir.resolve("planted.txt") + "'; echo pwned > /tmp/planted-" + dir.getFileName()
                + "; touch /usr/planted; mkdir /planted; mount -o remount,rw /usr && touch /usr/planted");
        assertThat(dir.resolve("planted.txt")).doesNotExist();
        assertThat(Path.of("/tmp/planted-" + dir.getFileName())).doesNotExist();
        assertThat(Path.of("/usr/planted")).doesNotExist();
        assertThat(Path.of("/planted")).doesNotExist();

        assertThat(run("mkdir jail && chroot jail /bin/true").path("exit_code").asInt())
                .as("no capabilities left to chroot with")
                .isNotZero();
        assertThat(run("echo ok > note.txt && cat note.txt").path("output").asText())
                .isEqualTo("ok\n");
        assertThat(workspace.resolve("note.txt")).hasContent("ok");
    }

    @Test
    void symlinks_pointingOutside_leadNowhereInCommandsAndAreRefusedByTheFileTools() throws Exception {
        JsonNode made = run("ln -s '" + dir.resolve("outside.txt") + "' out; ln -s ../B-2/secret.txt rel;" + " ln -s '"
                + dir.resolve("new.txt") + "' dangling; cat out rel");
        assertThat(made.path("output").asText()).doesNotContain("secret");

        for (String path : List.of("out", "rel", "dangling", "../x", "/etc/passwd", "a/../../x")) {
            assertThatThrownBy(() -> tools.read(path)).as(path).hasMessageContaining("outside the workspace");
            assertThatThrownBy(() -> tools.write(path, "pwned")).as(path).hasMessageContaining("outside the workspace");
        }
        assertThat(dir.resolve("new.txt")).doesNotExist();
        assertThat(dir.resolve("outside.txt")).hasContent("outside-secret");
        assertThat(neighbour.resolve("secret.txt")).hasContent("neighbour-secret");

        Files.createSymbolicLink(workspace.resolve("inside"), workspace.resolve("notes"));
        assertThat(tools.write("notes/a.txt", "hi")).contains("notes/a.txt");
        assertThat(tools.read("inside/a.txt")).isEqualTo("hi");
    }

    @Test
    void home_isTheWorkspace_andTheEnvironmentIsAnAllowlist() throws Exception {
        String home = run("echo \"$HOME\"; cd ~ && pwd").path("output").asText();
        assertThat(home.lines().toList()).containsExactly(workspace.toString(), workspace.toString());

        JsonNode realHome = run("ls -a '" + System.getProperty("user.home") + "'");
        assertThat(realHome.path("exit_code").asInt()).isNotZero();

        Set<String> names = Arrays.stream(run("env").path("output").asText().split("\n"))
                .filter(l -> l.contains("="))
                .map(l -> l.substring(0, l.indexOf('=')))
                .collect(Collectors.toSet());
        assertThat(names).isSubsetOf("PATH", "HOME", "TMPDIR", "LANG", "TERM", "PWD", "SHLVL", "_");
        assertThat(names)
                .doesNotContainAnyElementsOf(System.getenv().keySet().stream()
                        .filter(n -> !Set.of("PATH", "HOME", "TMPDIR", "LANG", "TERM", "PWD", "SHLVL", "_")
                                .contains(n))
                        .toList());
    }

    @Test
    void backgroundProcesses_dieWithTheCommand() throws Exception {
        run("(sleep 1; echo late > late.txt) & echo started");
        JsonNode after = run("sleep 2; ls");
        assertThat(after.path("output").asText()).doesNotContain("late.txt");
    }
}
