package dev.orchestra4j.runner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed {@code WORKFLOW.md}: the YAML front matter between the first two {@code ---} lines as a map, and the rest,
 * trimmed, as the prompt template. A file without front matter is all prompt with an empty config (Symphony §5.2).
 *
 * @param path the absolute file path; relative config paths resolve against its directory
 * @param config the front matter, empty when there is none
 * @param prompt the trimmed prompt body, possibly blank
 */
public record WorkflowFile(Path path, Map<String, Object> config, String prompt) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public WorkflowFile {
        requireNonNull(path, "path");
        config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        requireNonNull(prompt, "prompt");
    }

    /** Reads and parses a workflow file; a missing or unreadable file is {@code missing_workflow_file}. */
    public static WorkflowFile load(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new WorkflowException(
                    "missing_workflow_file", "cannot read workflow file '" + absolute + "': " + e.getMessage(), e);
        }
        return parse(absolute, text);
    }

    /** Parses workflow text that was read from {@code path}. */
    public static WorkflowFile parse(Path path, String text) {
        String normalized = text.replace("\r\n", "\n");
        if (!normalized.startsWith("---")
                || !(normalized.length() == 3 || normalized.charAt(3) == '\n' || normalized.charAt(3) == ' ')) {
            return new WorkflowFile(path, Map.of(), normalized.trim());
        }
        int firstNewline = normalized.indexOf('\n');
        int end = firstNewline < 0 ? -1 : closingFence(normalized, firstNewline + 1);
        String yaml =
                end < 0 ? normalized.substring(Math.max(firstNewline, 3)) : normalized.substring(firstNewline, end);
        String body = end < 0 ? "" : normalized.substring(Math.min(normalized.length(), lineEnd(normalized, end)));
        return new WorkflowFile(path, frontMatter(path, yaml), body.trim());
    }

    private static int closingFence(String text, int from) {
        int lineStart = from;
        while (lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            String line = lineEnd < 0 ? text.substring(lineStart) : text.substring(lineStart, lineEnd);
            if (line.strip().equals("---")) {
                return lineStart;
            }
            if (lineEnd < 0) {
                return -1;
            }
            lineStart = lineEnd + 1;
        }
        return -1;
    }

    private static int lineEnd(String text, int lineStart) {
        int newline = text.indexOf('\n', lineStart);
        return newline < 0 ? text.length() : newline + 1;
    }

    private static Map<String, Object> frontMatter(Path path, String yaml) {
        JsonNode node;
        try {
            node = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new WorkflowException(
                    "workflow_parse_error",
                    "invalid YAML front matter in '" + path + "': " + e.getOriginalMessage(),
                    e);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new WorkflowException(
                    "workflow_front_matter_not_a_map",
                    "the front matter of '" + path + "' must be a YAML map, was a "
                            + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = YAML.convertValue(node, LinkedHashMap.class);
        return map;
    }
}
