package dev.orchestra4j.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives {@link TerminalUserChannel} through a real pseudo-terminal: {@link TerminalChannelProgram} runs in a detached
 * tmux session on a private tmux server, the test reads the screen with {@code capture-pane} and types with
 * {@code send-keys}. Needs tmux: on CI ({@code CI=true}) a missing tmux fails the test, locally it is skipped.
 */
final class TerminalUserChannelTmuxTest {

    private static final Logger log = LoggerFactory.getLogger(TerminalUserChannelTmuxTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String SESSION = "orchestra4j";

    @TempDir
    Path dir;

    /** A private tmux server whose socket lives (and is cleaned up) in the test's temporary directory. */
    private Path socket() {
        return dir.resolve("tmux.sock");
    }

    @Test
    void terminalSession_twoQuestionsAnsweredByTyping_eachAnswerReachesItsQuestion(@TempDir Path dir) throws Exception {
        requireTmux();
        Path script = writeLaunchScript(TerminalChannelProgram.class);
        try {
            tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", "sh '" + script + "'");

            awaitScreen("your next answer goes to [Researcher]: Which topic should I research?");
            assertThat(screen()).contains("? [Researcher] Which topic should I research?");
            assertThat(screen()).contains("! [Writer] The model timed out. [retry/skip/abort]");

            typeLine("quantum computing");
            awaitScreen("answer 1: quantum computing");
            assertThat(screen()).contains("your next answer goes to [Writer]: The model timed out.");

            typeLine("r");
            String last = awaitScreen("[program exited with 0]");
            assertThat(last).contains("answer 2: retry");
        } finally {
            killServer();
        }
    }

    @Test
    void orchestraSession_askUserAnsweredOnARealTerminal_resumesTheAskerAndCompletes() throws Exception {
        requireTmux();
        Path script = writeLaunchScript(TerminalSessionProgram.class);
        try {
            tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", "sh '" + script + "'");

            awaitScreen("? [Researcher] Which topic should I research?");
            typeLine("quantum computing");
            String last = awaitScreen("[program exited with 0]");

            assertThat(last).contains("final answer: researching quantum computing (COMPLETED)");
        } finally {
            killServer();
        }
    }

    private Path writeLaunchScript(Class<?> program) throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), program.getName());
        String script = "#!/bin/sh\n"
                + String.join(
                        " ",
                        command.stream()
                                .map(TerminalUserChannelTmuxTest::quoted)
                                .toList()) + "\necho \"[program exited with $?]\"\nsleep 600\n";
        return Files.writeString(dir.resolve("run.sh"), script, StandardCharsets.UTF_8);
    }

    private void typeLine(String text) throws Exception {
        tmux("send-keys", "-t", SESSION, "-l", text);
        tmux("send-keys", "-t", SESSION, "Enter");
    }

    /** Polls the screen (a process boundary: nothing to wait on) until it shows {@code expected}. */
    private String awaitScreen(String expected) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String shown = screen();
        while (!shown.contains(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the terminal never showed '" + expected + "'; it shows:\n" + shown);
            }
            Thread.sleep(100);
            shown = screen();
        }
        return shown;
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", SESSION);
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket().toString(), "-f", "/dev/null"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("tmux " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    private void killServer() {
        try {
            tmux("kill-server");
        } catch (Exception e) {
            log.warn("Could not kill the test's tmux server at '{}'", socket(), e);
        }
    }

    private static void requireTmux() {
        if (tmuxInstalled()) {
            return;
        }
        String message = "tmux is not installed: the pseudo-terminal test of TerminalUserChannel cannot run"
                + " (apt-get install -y tmux)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + "; CI must have it");
        }
        log.warn("!!! SKIPPED: {}", message);
        Assumptions.abort(message);
    }

    private static boolean tmuxInstalled() {
        try {
            Process process =
                    new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String quoted(String arg) {
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }
}
