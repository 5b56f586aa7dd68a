package dev.orchestra4j.runner.internal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.orchestra4j.core.llm.LlmAgent;
import dev.orchestra4j.runner.internal.CommandSandbox;
import dev.orchestra4j.runner.internal.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file and shell tools an agent gets, confined to one workspace: file paths are resolved (through symbolic links,
 * dangling ones included) and refused unless the result lies inside the workspace, and writes go to the resolved path
 * without following a link; commands run in the {@link CommandSandbox} with the workspace as their directory and
 * {@code HOME}, never with the tracker's secret variables.
 */
final class WorkspaceTools {

    static final ObjectMapper JSON = new ObjectMapper();
    private final Path workspace;
    private final Shell shell;
    private final CommandSandbox sandbox;
    private final Duration commandTimeout;
    private final Runnable heartbeat;

    WorkspaceTools(Path workspace, Shell shell, CommandSandbox sandbox, Duration commandTimeout, Runnable heartbeat) {
        try {
            this.workspace = workspace.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("workspace '" + workspace + "' does not exist", e);
        }
        this.shell = shell;
        this.sandbox = sandbox;
        this.commandTimeout = commandTimeout;
        this.heartbeat = heartbeat;
    }

    Path workspace() {
        return workspace;
    }

    LlmAgent.Builder addTo(LlmAgent.Builder agent) {
        return agent.tool(
                        spec("read_file", "Reads a text file of the workspace.", "path"),
                        call -> read(arg(call.arguments(), "path")))
                .tool(
                        spec("write_file", "Writes a text file of the workspace.", "path", "content"),
                        call -> write(arg(call.arguments(), "path"), arg(call.arguments(), "content")))
                .tool(
                        spec("list_files", "Lists the files of a workspace directory.", "path"),
                        call -> list(arg(call.arguments(), "path")))
                .tool(
                        spec("run_command", "Runs a shell command in the workspace.", "command"),
                        call -> run(arg(call.arguments(), "command")));
    }

    static ToolSpecification spec(String name, String description, String... parameters) {
        JsonObjectSchema.Builder schema = JsonObjectSchema.builder();
        for (String p : parameters) {
            schema.addStringProperty(p);
        }
        return ToolSpecification.builder()
                .name(name)
                .description(description)
                .parameters(schema.required(parameters).build())
                .build();
    }

    static String arg(String json, String name) throws IOException {
        JsonNode node = JSON.readTree(json).path(name);
        if (!node.isTextual()) {
            throw new IllegalArgumentException("argument '" + name + "' is required");
        }
        return node.asText();
    }

    /**
     * The real path a workspace-relative path names: its deepest existing part resolved through every symbolic link,
     * then the rest. Refused when that lies outside the workspace or a link dangles.
     */
    Path confined(String relative) throws IOException {
        Path path = workspace.resolve(relative).normalize();
        if (!path.startsWith(workspace)) {
            throw outside(relative);
        }
        Path existing = path;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException dangling) {
            throw outside(relative);
        }
        Path target = real.resolve(existing.relativize(path).toString()).normalize();
        if (!real.startsWith(workspace) || !target.startsWith(workspace)) {
            throw outside(relative);
        }
        return target;
    }

    private static IllegalArgumentException outside(String relative) {
        return new IllegalArgumentException("path '" + relative + "' is outside the workspace");
    }

    String read(String relative) throws IOException {
        return Files.readString(confined(relative), StandardCharsets.UTF_8);
    }

    String write(String relative, String content) throws IOException {
        Path path = confined(relative);
        Files.createDirectories(path.getParent());
        Files.writeString(
                path,
                content,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        return "wrote " + workspace.relativize(path) + " (" + content.length() + " chars)";
    }

    String list(String relative) throws IOException {
        Path dir = confined(relative.isBlank() ? "." : relative);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> workspace.relativize(p) + (Files.isDirectory(p) ? "/" : ""))
                    .sorted()
                    .toList();
            return String.join("\n", names);
        }
    }

    String run(String command) throws IOException {
        Shell.Result result = sandbox.run(shell, command, workspace, commandTimeout, heartbeat);
        return JSON.writeValueAsString(java.util.Map.of(
                "exit_code", result.exitCode(), "timed_out", result.timedOut(), "output", result.output()));
    }
}
