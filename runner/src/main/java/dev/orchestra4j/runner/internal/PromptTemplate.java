package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.Issue;
import dev.orchestra4j.runner.WorkflowException;
import java.util.LinkedHashMap;
import java.util.Map;
import liqp.Template;
import liqp.TemplateParser;
import org.jspecify.annotations.Nullable;

/**
 * The workflow's prompt as a strict Liquid template (liqp): unknown variables and unknown filters fail. Variables are
 * {@code issue} (every field, string keys) and {@code attempt} (null on a first run, 1… on a retry or continuation).
 * liqp's strict mode cannot tell a null value from a missing key, so nulls travel as {@link Nil}, which renders empty
 * and which {@code if}/{@code unless} treat as false.
 */
public final class PromptTemplate {

    static final String DEFAULT_PROMPT = "You are working on an issue from the configured tracker.\n\n"
            + "Identifier: {{ issue.identifier }}\nTitle: {{ issue.title }}\n\n{{ issue.description }}";

    private static final TemplateParser PARSER = new TemplateParser.Builder()
            .withStrictVariables(true)
            .withErrorMode(TemplateParser.ErrorMode.STRICT)
            .withBlock(new Nil.NilAwareIf())
            .withBlock(new Nil.NilAwareUnless())
            .build();

    private final Template template;

    private PromptTemplate(Template template) {
        this.template = template;
    }

    /** Parses a prompt body; a blank body uses Symphony's default prompt. */
    public static PromptTemplate parse(String body) {
        String source = body.isBlank() ? DEFAULT_PROMPT : body;
        try {
            return new PromptTemplate(PARSER.parse(source));
        } catch (RuntimeException e) {
            throw new WorkflowException(
                    "template_parse_error", "cannot parse the prompt template: " + e.getMessage(), e);
        }
    }

    /** Renders the prompt for one attempt; any unknown variable or filter is {@code template_render_error}. */
    public String render(Issue issue, @Nullable Integer attempt) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("issue", Nil.replaceNulls(issue.toTemplateValue()));
        variables.put("attempt", attempt == null ? Nil.NIL : attempt);
        try {
            return template.render(variables);
        } catch (RuntimeException e) {
            throw new WorkflowException(
                    "template_render_error",
                    "cannot render the prompt for '" + issue.identifier() + "': " + e.getMessage(),
                    e);
        }
    }
}
