package dev.orchestra4j.runner.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.MemoryTracker;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.WorkflowFile;
import dev.orchestra4j.runner.internal.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proof-of-work gate where the ticket moves: {@code transition_issue} refuses until the proof passes. */
final class TrackerToolsTest {

    @TempDir
    Path dir;

    private final MemoryTracker tracker = new MemoryTracker();
    private final List<Map<String, Object>> recorded = new CopyOnWriteArrayList<>();

    private TrackerTools tools(Path workspace) {
        RunnerConfig config = RunnerConfig.from(
                WorkflowFile.parse(
                        dir.resolve("W.md"),
                        "---\ntracker: {kind: memory}\nproof_of_work:\n  gated_states: [Human Review]\n"
                                + "  commands: [\"test -f ok\"]\n  required_files: [WALKTHROUGH.md]\n---\n"),
                Map.of());
        Issue issue = Issue.builder("1", "A-1", "T", "In Progress").build();
        tracker.put(issue);
        return new TrackerTools(
                issue,
                tracker,
                config,
                new ProofGate(new Shell(List.of()), Clock.systemUTC()),
                workspace,
                (i, evidence) -> recorded.add(evidence),
                () -> {});
    }

    @Test
    void transition_gateFails_refusesWithEvidenceAndKeepsState_thenPassesAfterFix() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        TrackerTools tools = tools(workspace);

        JsonNode refused = WorkspaceTools.JSON.readTree(tools.transition("Human Review"));

        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("error").asText()).isEqualTo("proof_of_work_failed");
        assertThat(refused.path("evidence")
                        .path("commands")
                        .get(0)
                        .path("exit_code")
                        .asInt())
                .isEqualTo(1);
        assertThat(refused.path("evidence")
                        .path("required_files")
                        .get(0)
                        .path("present")
                        .asBoolean())
                .isFalse();
        assertThat(tracker.find("1").orElseThrow().state()).isEqualTo("In Progress");

        Files.writeString(workspace.resolve("ok"), "");
        Files.writeString(workspace.resolve("WALKTHROUGH.md"), "# What changed\n");
        JsonNode moved = WorkspaceTools.JSON.readTree(tools.transition("Human Review"));

        assertThat(moved.path("ok").asBoolean()).isTrue();
        assertThat(tracker.find("1").orElseThrow().state()).isEqualTo("Human Review");
        assertThat(tracker.comments("1")).hasSize(2);
        assertThat(tracker.comments("1").get(0))
                .contains("Proof of work: failed")
                .contains("`test -f ok` → exit 1");
        assertThat(tracker.comments("1").get(1))
                .contains("Proof of work: passed")
                .contains("sha256");
        assertThat(recorded).extracting(e -> e.get("passed")).containsExactly(false, true);
    }

    @Test
    void transition_ungatedState_movesWithoutRunningTheGate() throws Exception {
        TrackerTools tools = tools(Files.createDirectories(dir.resolve("ws")));

        assertThat(tools.transition("Todo")).contains("\"ok\":true");
        assertThat(recorded).isEmpty();
    }
}
