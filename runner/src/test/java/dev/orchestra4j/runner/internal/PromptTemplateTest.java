package dev.orchestra4j.runner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.WorkflowException;
import java.util.List;
import org.junit.jupiter.api.Test;

final class PromptTemplateTest {

    private final Issue issue = Issue.builder("1", "ABC-1", "Fix it", "Todo")
            .labels(List.of("Agent", "bug"))
            .build();

    @Test
    void render_issueFieldsAndLabels() {
        String out = PromptTemplate.parse("{{ issue.identifier }} {% for l in issue.labels %}[{{ l }}]{% endfor %}")
                .render(issue, null);

        assertThat(out).isEqualTo("ABC-1 [agent][bug]");
    }

    @Test
    void render_attempt_falseOnFirstRunTrueOnContinuation() {
        PromptTemplate t = PromptTemplate.parse("{% if attempt %}retry {{ attempt }}{% else %}first{% endif %}");

        assertThat(t.render(issue, null)).isEqualTo("first");
        assertThat(t.render(issue, 1)).isEqualTo("retry 1");
    }

    @Test
    void render_unknownVariable_isRenderError() {
        assertThatThrownBy(() -> PromptTemplate.parse("{{ issue.nope }}").render(issue, null))
                .isInstanceOfSatisfying(
                        WorkflowException.class, e -> assertThat(e.code()).isEqualTo("template_render_error"));
    }

    @Test
    void render_unknownFilter_failsTheRenderNotTheParse() {
        PromptTemplate template = PromptTemplate.parse("{{ issue.title | shout }}");

        assertThatThrownBy(() -> template.render(issue, null))
                .isInstanceOfSatisfying(
                        WorkflowException.class, e -> assertThat(e.code()).isEqualTo("template_render_error"))
                .hasMessageContaining("shout");
    }

    @Test
    void parse_brokenSyntax_isParseError() {
        assertThatThrownBy(() -> PromptTemplate.parse("{% if attempt %}never closed"))
                .isInstanceOfSatisfying(
                        WorkflowException.class, e -> assertThat(e.code()).isEqualTo("template_parse_error"));
    }

    @Test
    void parse_blankBody_usesDefaultPrompt() {
        assertThat(PromptTemplate.parse(" ").render(issue, null))
                .contains("You are working on an issue")
                .contains("ABC-1");
    }
}
