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

    private final @Nullable Template template;
    private final @Nullable RuntimeException unknownFilter;

    private PromptTemplate(@Nullable Template template, @Nullable RuntimeException unknownFilter) {
        this.template = template;
        this.unknownFilter = unknownFilter;
    }

    /**
     * Parses a prompt body; a blank body uses Symphony's default prompt. Broken syntax is {@code
     * template_parse_error}; an unknown filter (which liqp already finds while parsing) fails each render instead,
     * like an unknown variable, so it fails attempts rather than the service.
     */
    public static PromptTemplate parse(String body) {
        String source = body.isBlank() ? DEFAULT_PROMPT : body;
        try {
            return new PromptTemplate(PARSER.parse(source), null);
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("no filter available")) {
                return new PromptTemplate(null, e);
            }
            throw new WorkflowException(
                    "template_parse_error", "cannot parse the prompt template: " + e.getMessage(), e);
        }
    }

    /** Renders the prompt for one attempt; any unknown variable or filter is {@code template_render_error}. */
    public String render(Issue issue, @Nullable Integer attempt) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("issue", Nil.replaceNulls(issue.toTemplateValue()));
        variables.put("attempt", attempt == null ? Nil.NIL : attempt);
        if (template == null) {
            RuntimeException cause = java.util.Objects.requireNonNull(unknownFilter);
            throw new WorkflowException(
                    "template_render_error",
                    "cannot render the prompt for '" + issue.identifier() + "': " + cause.getMessage(),
                    cause);
        }
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
