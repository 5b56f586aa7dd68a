package dev.orchestra4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's "Debugging a run" commands, in order, through the examples CLI (issue #19). */
final class CliDebugTest {

    private static final Pattern COMMAND = Pattern.compile("-Dexec\\.args=\"([^\"]+)\"");
    private static final String STATE = "/tmp/o4j-debug";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run cli(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli.Console console = new Cli.Console(
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = new Cli(Gallery.ALL, Map.of(), console).run(args.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The section's commands, each split into arguments (single quotes group words). */
    private static List<List<String>> readmeCommands() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Debugging a run");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<List<String>> commands = new ArrayList<>();
        Matcher m = COMMAND.matcher(section);
        while (m.find()) {
            commands.add(split(m.group(1)));
        }
        return commands;
    }

    private static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            args.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return args;
    }

    @Test
    void readmeDebuggingCommands_recordInspectReplayForkDiff() throws Exception {
        List<List<String>> commands = readmeCommands();
        assertThat(commands).hasSize(8);
        List<Run> runs = new ArrayList<>();
        for (List<String> command : commands) {
            runs.add(cli(command.stream()
                    .map(arg -> arg.equals(STATE) ? dir.toString() : arg)
                    .toList()));
        }

        assertThat(runs.get(0).code()).as(runs.get(0).err()).isZero();
        assertThat(runs.get(0).out()).contains("recorded session demo-1: COMPLETED, 6 steps");
        assertThat(runs.get(1).out())
                .contains("session demo-1: 6 steps, 2385 tokens")
                .containsPattern("1 +Researcher +b1 +parallel → WebSearch, Papers, Stats")
                .containsPattern("6 +Writer +b1 +finish ");
        assertThat(runs.get(2).out())
                .contains("step 4: Stats on b4", "== tool call 1: lookUpStatistic", "== model call 2: 220+45 tokens");
        assertThat(runs.get(3).out()).startsWith("sequenceDiagram").contains("Researcher->>Writer: step 5 handoff");
        assertThat(runs.get(4).code()).as(runs.get(4).err()).isZero();
        assertThat(runs.get(4).out())
                .contains("replay of demo-1 matches the recording: COMPLETED, 6 steps, no model called")
                .contains("# Virtual threads and server design");
        assertThat(runs.get(5).code()).isEqualTo(Cli.RUN_FAILED);
        assertThat(runs.get(5).out())
                .contains("replay of demo-1 diverged at step 6 (Writer on b1)")
                .contains("expected request:", "You write short research reports")
                .contains("actual request:", "You write haiku.");
        assertThat(runs.get(6).code()).as(runs.get(6).err()).isZero();
        assertThat(runs.get(6).out())
                .contains("fork demo-1-brief of demo-1: COMPLETED")
                .contains("Brief: sources WebSearch, Papers, Stats");
        assertThat(runs.get(7).out())
                .contains("first diverging step: 6")
                .containsPattern("6 +Writer finish +Writer finish +output");
    }

    @Test
    void debugCommands_badArguments_areUsageErrorsNamingTheProblem() {
        Run missingState = cli(List.of("inspect", "demo-1"));
        Run unknown = cli(List.of("inspect", "nope", "--state", dir.toString()));
        Run badStep = cli(List.of("fork", "nope", "--step", "three", "--as", "x", "--state", dir.toString()));

        assertThat(missingState.code()).isEqualTo(Cli.USAGE);
        assertThat(missingState.err()).contains("inspect: --state is required");
        assertThat(unknown.code()).isEqualTo(Cli.USAGE);
        assertThat(unknown.err()).contains("session 'nope' has no recording");
        assertThat(badStep.err()).contains("--step takes a number, was 'three'");
    }
}
