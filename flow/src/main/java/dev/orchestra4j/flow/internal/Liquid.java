package dev.orchestra4j.flow.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liqp.Template;
import liqp.TemplateParser;

/**
 * Strict Liquid (liqp): an unknown variable or filter is an error, never left-over text. The legacy spellings
 * {@code {{step.<id>.result}}} and {@code step.<pid>.results.<i>.result} are rewritten to {@code steps.<id>.result}
 * and {@code steps.<pid>.results[i].result} first.
 */
public final class Liquid {

    private static final TemplateParser PARSER = new TemplateParser.Builder()
            .withStrictVariables(true)
            .withErrorMode(TemplateParser.ErrorMode.STRICT)
            .build();
    private static final Pattern TAG = Pattern.compile("\\{\\{.*?}}|\\{%.*?%}", Pattern.DOTALL);
    private static final Pattern LEGACY = Pattern.compile("(?<![\\w.])step\\.");
    private static final Pattern INDEX = Pattern.compile("\\.results\\.(\\d+)");
    private static final Pattern REFERENCE = Pattern.compile("(?<![\\w.])steps\\.([A-Za-z0-9_\\-]+)");
    private static final Map<String, Template> CACHE = new ConcurrentHashMap<>();

    private Liquid() {}

    /** A reference to a step inside a template, at a character position of the (normalised) template. */
    public record Reference(String stepId, int position) {}

    /** The template with legacy spellings rewritten (only inside tags). */
    public static String normalize(String template) {
        Matcher tags = TAG.matcher(template);
        StringBuilder out = new StringBuilder();
        while (tags.find()) {
            String tag = LEGACY.matcher(tags.group()).replaceAll("steps.");
            tag = INDEX.matcher(tag).replaceAll(".results[$1]");
            tags.appendReplacement(out, Matcher.quoteReplacement(tag));
        }
        tags.appendTail(out);
        return out.toString();
    }

    /** Every {@code steps.<id>} the template refers to. */
    public static List<Reference> references(String template) {
        List<Reference> out = new ArrayList<>();
        Matcher tags = TAG.matcher(normalize(template));
        while (tags.find()) {
            Matcher ref = REFERENCE.matcher(tags.group());
            while (ref.find()) {
                out.add(new Reference(ref.group(1), tags.start() + ref.start()));
            }
        }
        return out;
    }

    /** Why the template cannot be parsed, or null. */
    public static String syntaxProblem(String template) {
        try {
            parse(template);
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /**
     * Renders strictly.
     *
     * @throws IllegalArgumentException naming the unknown variable or filter
     */
    public static String render(String template, Map<String, Object> context) {
        try {
            return parse(template).render(context);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Template parse(String template) {
        return CACHE.computeIfAbsent(template, t -> PARSER.parse(normalize(t)));
    }
}
