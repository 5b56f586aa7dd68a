package dev.orchestra4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WorkflowFileTest {

    @TempDir
    Path dir;

    @Test
    void parse_noFrontMatter_wholeFileIsPromptAndConfigEmpty() {
        WorkflowFile file = WorkflowFile.parse(dir.resolve("WORKFLOW.md"), "\n  Fix {{ issue.title }}  \n");

        assertThat(file.config()).isEmpty();
        assertThat(file.prompt()).isEqualTo("Fix {{ issue.title }}");
    }

    @Test
    void parse_frontMatter_splitsYamlAndTrimmedBody() {
        WorkflowFile file = WorkflowFile.parse(
                dir.resolve("WORKFLOW.md"), "---\ntracker:\n  kind: memory\npolling:\n  interval_ms: 5\n---\n\nBody\n");

        assertThat(file.config()).containsKey("tracker");
        assertThat(file.prompt()).isEqualTo("Body");
    }

    @Test
    void parse_frontMatterList_isNotAMap() {
        assertThatThrownBy(() -> WorkflowFile.parse(dir.resolve("W.md"), "---\n- a\n- b\n---\nbody"))
                .isInstanceOfSatisfying(WorkflowException.class, e -> assertThat(e.code())
                        .isEqualTo("workflow_front_matter_not_a_map"));
    }

    @Test
    void parse_brokenYaml_isParseError() {
        assertThatThrownBy(() -> WorkflowFile.parse(dir.resolve("W.md"), "---\ntracker: [kind: \n---\nbody"))
                .isInstanceOfSatisfying(
                        WorkflowException.class, e -> assertThat(e.code()).isEqualTo("workflow_parse_error"));
    }

    @Test
    void load_missingFile_isMissingWorkflowFile() {
        assertThatThrownBy(() -> WorkflowFile.load(dir.resolve("nope.md")))
                .isInstanceOfSatisfying(
                        WorkflowException.class, e -> assertThat(e.code()).isEqualTo("missing_workflow_file"))
                .hasMessageContaining("nope.md");
    }

    @Test
    void load_existingFile_keepsAbsolutePath() throws Exception {
        Path path = Files.writeString(dir.resolve("WORKFLOW.md"), "hello");

        assertThat(WorkflowFile.load(path).path()).isEqualTo(path.toAbsolutePath());
    }
}
