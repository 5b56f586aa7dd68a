package dev.orchestra4j.runner.internal;

import dev.orchestra4j.runner.RunnerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-issue workspaces under one root (Symphony §9): sanitised keys that can never escape the root, creation with
 * {@code after_create}, {@code before_run}/{@code after_run} around attempts, and removal with {@code before_remove}.
 */
public final class Workspaces {

    private static final Logger LOG = LoggerFactory.getLogger(Workspaces.class);

    private final Supplier<RunnerConfig> config;
    private final Shell shell;
    private final HookListener listener;

    /** Told how long each hook took, for metrics. */
    @FunctionalInterface
    public interface HookListener {
        void hookRan(String hook, Shell.Result result);
    }

    public Workspaces(Supplier<RunnerConfig> config, Shell shell, HookListener listener) {
        this.config = config;
        this.shell = shell;
        this.listener = listener;
    }

    /**
     * The workspace key of an identifier: every character outside {@code [A-Za-z0-9._-]} becomes {@code _}, a leading
     * dot too (so {@code .} and {@code ..} never name a directory); if anything changed, {@code --} and the first 16
     * hex digits of the identifier's SHA-256 are appended, so distinct identifiers keep distinct keys.
     */
    public static String key(String identifier) {
        StringBuilder safe = new StringBuilder(identifier.length());
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || (c == '.' && i > 0);
            safe.append(allowed ? c : '_');
        }
        String key = safe.toString();
        return key.equals(identifier) && !key.isEmpty()
                ? key
                : key + "--" + sha256(identifier).substring(0, 16);
    }

    /** The workspace path of an identifier, checked to lie strictly inside the root. */
    public Path pathOf(String identifier) {
        Path root = root();
        Path path = root.resolve(key(identifier)).normalize();
        if (!path.startsWith(root) || path.equals(root) || !path.getParent().equals(root)) {
            throw new IllegalStateException("workspace of '" + identifier + "' would escape the root '" + root + "'");
        }
        return path;
    }

    private Path root() {
        Path root = config.get().workspaceRoot();
        try {
            Files.createDirectories(root);
            return root.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create workspace root '" + root + "': " + e.getMessage(), e);
        }
    }

    /**
     * Creates the workspace if missing (running {@code after_create}, whose failure removes the partial directory)
     * and runs {@code before_run}. Returns the path; throws {@link WorkspaceException} when a hook fails.
     */
    public Path prepare(String identifier) {
        Path path = pathOf(identifier);
        RunnerConfig.Hooks hooks = config.get().hooks();
        if (!Files.isDirectory(path)) {
            try {
                Files.createDirectories(path);
            } catch (IOException e) {
                throw new WorkspaceException("cannot create workspace '" + path + "': " + e.getMessage());
            }
            Optional<Shell.Result> created = run("after_create", hooks.afterCreate(), path, identifier);
            if (created.isPresent() && !created.get().succeeded()) {
                delete(path);
                throw new WorkspaceException("after_create hook failed: " + describe(created.get()));
            }
        }
        Optional<Shell.Result> before = run("before_run", hooks.beforeRun(), path, identifier);
        if (before.isPresent() && !before.get().succeeded()) {
            throw new WorkspaceException("before_run hook failed: " + describe(before.get()));
        }
        return path;
    }

    /** Runs {@code after_run}; failure is only logged. */
    public void finish(String identifier) {
        Path path = pathOf(identifier);
        if (Files.isDirectory(path)) {
            run("after_run", config.get().hooks().afterRun(), path, identifier);
        }
    }

    /** Runs {@code before_remove} (failure logged) and deletes the workspace. Returns whether one existed. */
    public boolean remove(String identifier) {
        Path path = pathOf(identifier);
        if (!Files.isDirectory(path)) {
            return false;
        }
        run("before_remove", config.get().hooks().beforeRemove(), path, identifier);
        delete(path);
        return true;
    }

    private Optional<Shell.Result> run(String hook, Optional<String> script, Path path, String identifier) {
        if (script.isEmpty()) {
            return Optional.empty();
        }
        Shell.Result result = shell.run(script.get(), path, config.get().hooks().timeout());
        listener.hookRan(hook, result);
        if (!result.succeeded()) {
            LOG.warn(
                    "hook failed hook={} issue_identifier={} outcome={} exit_code={} duration_ms={} output=\"{}\"",
                    hook,
                    identifier,
                    result.timedOut() ? "timed_out" : "failed",
                    result.exitCode(),
                    result.duration().toMillis(),
                    result.output().strip());
        } else {
            LOG.debug("hook completed hook={} issue_identifier={}", hook, identifier);
        }
        return Optional.of(result);
    }

    static String describe(Shell.Result result) {
        return result.timedOut()
                ? "timed out after " + result.duration().toMillis() + " ms"
                : "exit code " + result.exitCode() + ": " + result.output().strip();
    }

    private static void delete(Path path) {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("workspace removal failed path={} reason=\"{}\"", path, e.getMessage());
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A workspace hook failed or the directory could not be made. */
    public static final class WorkspaceException extends RuntimeException {
        WorkspaceException(String message) {
            super(message);
        }
    }
}
