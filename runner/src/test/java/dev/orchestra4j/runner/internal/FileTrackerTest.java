package dev.orchestra4j.runner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.RunnerConfig;
import dev.orchestra4j.runner.WorkflowFile;
import dev.orchestra4j.runner.internal.tracker.FileTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileTrackerTest {

    @TempDir
    Path dir;

    private FileTracker tracker() {
        RunnerConfig config = RunnerConfig.from(
                WorkflowFile.parse(dir.resolve("W.md"), "---\ntracker: {kind: file, provider: {path: .}}\n---\n"),
                Map.of());
        return new FileTracker(dir, config.tracker(), Clock.systemUTC());
    }

    @Test
    void fetch_readsFrontMatterBodyAndBlockers() throws Exception {
        Files.writeString(
                dir.resolve("A-1.md"),
                "---\ntitle: First\nstate: Todo\npriority: 2\nlabels: [Agent, \" x \"]\nblocked_by: [A-2]\n"
                        + "created_at: 2026-12-01T10:00:00Z\n---\nThe body.\n");
        Files.writeString(dir.resolve("A-2.md"), "---\ntitle: Second\nstate: In Progress\n---\n");
        Files.writeString(dir.resolve("bad.md"), "---\nstate: Todo\n---\nno title\n");

        List<Issue> todo = tracker().fetchIssuesByStates(List.of("todo"));

        assertThat(todo).singleElement().satisfies(i -> {
            assertThat(i.identifier()).isEqualTo("A-1");
            assertThat(i.description()).isEqualTo("The body.");
            assertThat(i.priority()).isEqualTo(2);
            assertThat(i.labels()).containsExactly("agent", "x");
            assertThat(i.createdAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
            assertThat(i.blockedBy()).singleElement().satisfies(b -> assertThat(b.state())
                    .isEqualTo("In Progress"));
            assertThat(i.dispatchable()).isFalse();
        });
        assertThat(tracker().fetchIssuesByStates(List.of())).isEmpty();
    }

    @Test
    void transition_rewritesStateAtomicallyKeepingTheRest() throws Exception {
        Files.writeString(dir.resolve("A-1.md"), "---\ntitle: First\nstate: Todo\n# keep me\n---\nBody\n");

        Issue moved = tracker().transitionIssue("A-1", "Human Review");

        assertThat(moved.state()).isEqualTo("Human Review");
        assertThat(Files.readString(dir.resolve("A-1.md")))
                .contains("state: \"Human Review\"")
                .contains("# keep me")
                .endsWith("Body\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("A-1.md");
        }
    }

    @Test
    void comment_isAFileUnderCommentsIdentifier() throws Exception {
        Files.writeString(dir.resolve("A-1.md"), "---\ntitle: First\nstate: Todo\n---\n");
        FileTracker tracker = tracker();
        tracker.addComment("A-1", "one");
        tracker.addComment("A-1", "two");

        try (var files = Files.list(dir.resolve("comments/A-1"))) {
            assertThat(files.sorted().map(p -> {
                        try {
                            return Files.readString(p);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }))
                    .containsExactly("one", "two");
        }
    }

    @Test
    void fetchByIds_omitsMissing() throws Exception {
        Files.writeString(dir.resolve("A-1.md"), "---\ntitle: First\nstate: Todo\n---\n");

        assertThat(tracker().fetchIssuesByIds(List.of("A-1", "A-9")))
                .extracting(Issue::id)
                .containsExactly("A-1");
    }
}
